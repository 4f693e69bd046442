# mcpgw_warnings(target): the project's warning set; errors when MCPGW_WERROR.
function(mcpgw_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wcast-align -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  # GCC 12 (Debian 12's compiler) reports impossible overlaps in inlined
  # std::string concatenation ("/" + std::string(x)) at -O3, so a Release
  # build failed under -Werror while -O2 was clean (GCC bug 105651, fixed in 13).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(MCPGW_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# mcpgw_plugin(name sources...): a plugin shared object built against the ABI
# header only, written to ${MCPGW_PLUGIN_OUTPUT_DIR}/<name>.so.
function(mcpgw_plugin name)
  add_library(mcpgw_plugin_${name} MODULE ${ARGN})
  target_include_directories(mcpgw_plugin_${name} PRIVATE ${PROJECT_SOURCE_DIR}/gateway/include)
  set_target_properties(mcpgw_plugin_${name} PROPERTIES
    PREFIX "" OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${MCPGW_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(mcpgw_plugin_${name} PRIVATE -Wl,--no-undefined)
  mcpgw_warnings(mcpgw_plugin_${name})
endfunction()
