# filesystem e2e tests: the real gateway with filesystem.so on a route,
# compared call by call with the reference server-filesystem.
mcpgw_node_test(e2e.filesystem_parity filesystem_parity.test.mjs)
