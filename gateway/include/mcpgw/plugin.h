/*
 * mcpgw/plugin.h -- the plugin ABI of the MCP gateway, version 1.
 *
 * A plugin is a shared object that serves one MCP backend (tools, resources,
 * resource templates, prompts, completions). The gateway does everything
 * else: transports, sessions, authentication, rate limits, pagination,
 * argument validation, metrics. This header is the whole contract; it
 * includes only standard C headers and compiles as C99 and as C++.
 *
 * ---------------------------------------------------------------------------
 * Loading
 * ---------------------------------------------------------------------------
 * A plugin exports exactly one function:
 *
 *     MCPGW_PLUGIN_EXPORT const mcpgw_plugin *mcpgw_plugin_entry(void);
 *
 * It returns a pointer to a static, immutable descriptor. The gateway reads
 * `abi_version` before anything else and refuses to start when it differs
 * from MCPGW_PLUGIN_ABI_VERSION, naming the file and both versions.
 *
 * ---------------------------------------------------------------------------
 * Growing the ABI (tables that only grow)
 * ---------------------------------------------------------------------------
 * Every struct that crosses the boundary starts with `struct_size`, the
 * sizeof() the writer was compiled with. New fields are only ever appended.
 * A reader touches a field only when MCPGW_HAS_FIELD says the writer's struct
 * is large enough, so an older plugin loads into a newer gateway and a newer
 * plugin sees which host services an older gateway lacks. Removing or
 * reordering a field, or changing a meaning, bumps MCPGW_PLUGIN_ABI_VERSION.
 *
 * ---------------------------------------------------------------------------
 * Ownership (read this once; every field below says which rule applies)
 * ---------------------------------------------------------------------------
 *  - BORROWED: a pointer handed to you is valid only until the function that
 *    received it returns. Copy what you need to keep. Nothing the host hands
 *    to a plugin is ever freed by the plugin.
 *  - COPIED: every buffer a plugin hands to a host service is copied before
 *    the service returns; the plugin keeps ownership and may free or reuse
 *    it immediately.
 *  - STATIC: the descriptor and its strings must stay valid until the
 *    shared object is unloaded.
 *  - Strings are UTF-8 byte ranges (mcpgw_str), not NUL-terminated unless a
 *    field says so. JSON crosses the boundary as UTF-8 text.
 *
 * ---------------------------------------------------------------------------
 * Errors
 * ---------------------------------------------------------------------------
 * No C++ exception, no errno contract and no C++ or STL type crosses this
 * boundary. A function reports its outcome as an mcpgw_status and hands its
 * result or error message to the host through the `call` it received.
 * A failing *tool* is not an error of the call: it is a successful call
 * whose CallToolResult has "isError": true (MCP tools spec).
 *
 * ---------------------------------------------------------------------------
 * Threads
 * ---------------------------------------------------------------------------
 * The host calls plugin functions on its worker threads. If the
 * descriptor's `flags` contain MCPGW_PLUGIN_THREAD_SAFE, any number of calls
 * on one instance may run at once. Otherwise the host serialises all calls
 * on that instance. `create` and `destroy` are never concurrent with anything
 * else on the same instance.
 *
 * No-wait calls. Handing a call to a worker and its answer back costs two
 * thread wake-ups, more than a lookup in memory takes. A plugin whose flags
 * contain both MCPGW_PLUGIN_THREAD_SAFE and MCPGW_PLUGIN_NOWAIT is first
 * called on the host's I/O thread with api->nowait(call) nonzero. In such a
 * call the plugin must not wait: no disk or network I/O, no lock it cannot
 * take at once (try-lock instead), no long computation. When it would have
 * to, it returns MCPGW_WOULD_BLOCK at once, having changed nothing and
 * reported nothing, and the host makes the same call again on a worker
 * thread (where nowait(call) is zero). Any other status answers the
 * request. A plugin never calls back into the host's list_changed or
 * resource_updated from a no-wait call, since I/O threads must not wait on
 * the host's own locks either; it returns MCPGW_WOULD_BLOCK instead. Plugins
 * without the flag never see a no-wait call.
 *
 * ---------------------------------------------------------------------------
 * Security
 * ---------------------------------------------------------------------------
 * A plugin never sees a credential. Every call carries the caller's
 * mcpgw_principal (subject, tenant, client, scopes, audience, token id,
 * expiry), already authenticated
 * and authorised by the gateway. Keep per-tenant data apart by `tenant`.
 */
#ifndef MCPGW_PLUGIN_H
#define MCPGW_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. */
#define MCPGW_PLUGIN_ABI_VERSION 1u

/* The name of the one symbol a plugin exports. */
#define MCPGW_PLUGIN_ENTRY_SYMBOL "mcpgw_plugin_entry"

#if defined(_WIN32)
#define MCPGW_PLUGIN_EXPORT __declspec(dllexport)
#else
#define MCPGW_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* True when the struct at `ptr` (whose first member is struct_size) was
 * written by code that knew about `field`. */
#define MCPGW_HAS_FIELD(ptr, type, field)                                      \
  ((ptr) != NULL &&                                                            \
   (size_t)(ptr)->struct_size >= offsetof(type, field) + sizeof((ptr)->field))

/* A UTF-8 byte range. `ptr` may be NULL only when `len` is 0. */
typedef struct mcpgw_str {
  const char *ptr;
  size_t len;
} mcpgw_str;

/* The outcome of a plugin function. The host maps it to the JSON-RPC error
 * the protocol version in use prescribes. */
typedef enum mcpgw_status {
  MCPGW_OK = 0,              /* result set with api->set_result */
  MCPGW_INVALID_PARAMS = 1,  /* malformed parameters -> -32602 */
  MCPGW_NOT_FOUND = 2,       /* unknown tool, prompt or resource */
  MCPGW_CANCELLED = 3,       /* stopped because api->cancelled() said so */
  MCPGW_UNAVAILABLE = 4,     /* temporary: storage down, try later */
  MCPGW_INTERNAL = 5,        /* a bug or an unexpected failure */
  MCPGW_WOULD_BLOCK = 6      /* only from a no-wait call: run me on a worker */
} mcpgw_status;

/* MCP logging levels (RFC 5424 severities, least severe first). */
typedef enum mcpgw_log_level {
  MCPGW_LOG_DEBUG = 0,
  MCPGW_LOG_INFO = 1,
  MCPGW_LOG_NOTICE = 2,
  MCPGW_LOG_WARNING = 3,
  MCPGW_LOG_ERROR = 4,
  MCPGW_LOG_CRITICAL = 5,
  MCPGW_LOG_ALERT = 6,
  MCPGW_LOG_EMERGENCY = 7
} mcpgw_log_level;

/* Which list a list-changed notification is about. */
typedef enum mcpgw_list_kind {
  MCPGW_LIST_TOOLS = 1,
  MCPGW_LIST_RESOURCES = 2,
  MCPGW_LIST_PROMPTS = 3
} mcpgw_list_kind;

/* Descriptor flags. */
#define MCPGW_PLUGIN_THREAD_SAFE 0x1u /* calls on one instance may overlap */
#define MCPGW_PLUGIN_NOWAIT 0x2u      /* try calls on I/O threads first (see Threads) */

/* The authenticated caller. BORROWED: valid for the duration of the plugin
 * function it was passed to. Never contains a token or a key. */
typedef struct mcpgw_principal {
  uint32_t struct_size;
  mcpgw_str subject;        /* who: the token's `sub`, or the key's name */
  mcpgw_str tenant;         /* whose data: partition storage by this */
  mcpgw_str client_id;      /* which application acts for the subject; may be empty */
  const mcpgw_str *scopes;  /* granted scopes, `scope_count` of them */
  size_t scope_count;
  /* Since 0.1 (struct_size covers them): what the credential said about
   * itself. Read them only when struct_size reaches past them
   * (MCPGW_PRINCIPAL_HAS(p, expires_at)). */
  mcpgw_str method;    /* "bearer", "api_key", "introspection" or "local" */
  mcpgw_str audience;  /* the route's resource URI the credential was accepted for */
  mcpgw_str token_id;  /* the token's `jti` (may be empty), or the API key's name */
  int64_t expires_at;  /* Unix seconds; 0 when the credential does not expire */
} mcpgw_principal;

/* True when principal `p` carries `field` (a host may be older than the plugin). */
#define MCPGW_PRINCIPAL_HAS(p, field) \
  ((p)->struct_size >= offsetof(mcpgw_principal, field) + sizeof((p)->field))

/* Opaque host handles. A plugin never dereferences them. */
typedef struct mcpgw_call mcpgw_call; /* one request; valid until the plugin function returns */
typedef struct mcpgw_host mcpgw_host; /* one plugin instance; valid from create until destroy returns */

/* Services the host offers. The table is STATIC for the plugin instance's
 * lifetime. Every function is safe to call from any thread.
 *
 * Call-scoped services take the `call` the plugin function received and may
 * be used only until that function returns. */
typedef struct mcpgw_host_api {
  uint32_t struct_size;
  uint32_t abi_version; /* the host's MCPGW_PLUGIN_ABI_VERSION */

  /* Sets the MCP result object of this call (for example {"tools":[...]}
   * for list_tools, a CallToolResult for call_tool). `json` must be one
   * JSON object. COPIED. A later call replaces an earlier one. */
  void (*set_result)(mcpgw_call *call, const char *json, size_t len);

  /* Sets the human-readable message sent with a non-OK status. COPIED.
   * The message reaches the client: never put secrets or host paths in it. */
  void (*set_error)(mcpgw_call *call, const char *message, size_t len);

  /* Nonzero once the client cancelled this call, its stream closed, or its
   * deadline passed. Long-running work should poll this and return
   * MCPGW_CANCELLED. */
  int (*cancelled)(const mcpgw_call *call);

  /* Reports progress (notifications/progress). `total` < 0 means unknown;
   * `message` may be NULL. A no-op when the client asked for no progress.
   * `progress` must increase from one report to the next. COPIED. */
  void (*progress)(mcpgw_call *call, double progress, double total,
                   const char *message, size_t message_len);

  /* Sends a log message related to this call to the client
   * (notifications/message). `logger` is NUL-terminated or NULL; `data_json`
   * is one JSON value. Dropped when below the level the client set. COPIED. */
  void (*log)(mcpgw_call *call, mcpgw_log_level level, const char *logger,
              const char *data_json, size_t data_len);

  /* Writes a line to the gateway's own operational log (never to a client).
   * COPIED. */
  void (*host_log)(mcpgw_host *host, mcpgw_log_level level,
                   const char *message, size_t len);

  /* Tells the host that a list changed. The host refreshes its cache of the
   * list and notifies subscribed clients. May be called at any time between
   * create and destroy, from any thread, but not from inside `create`. */
  void (*list_changed)(mcpgw_host *host, mcpgw_list_kind kind);

  /* Tells the host that the resource `uri` changed (resources/updated for
   * subscribers). Same rules as list_changed. COPIED. */
  void (*resource_updated)(mcpgw_host *host, const char *uri, size_t len);

  /* Nonzero when this call runs on an I/O thread and must not wait; answer
   * MCPGW_WOULD_BLOCK to have it run on a worker instead (see Threads). */
  int (*nowait)(const mcpgw_call *call);
} mcpgw_host_api;

/* What the host hands to `create`. BORROWED (copy what you keep); the `api`
 * table and `host` handle themselves stay valid until destroy returns. */
typedef struct mcpgw_plugin_init {
  uint32_t struct_size;
  const mcpgw_host_api *api;
  mcpgw_host *host;
  mcpgw_str instance_name; /* the name the operator gave this instance */
  mcpgw_str config_json;   /* the instance's `config:` block, as a JSON object */
  mcpgw_str data_dir;      /* an existing directory this instance owns */
} mcpgw_plugin_init;

/* Every request function below:
 *  - receives the opaque `instance` that create produced, the `call` handle
 *    and the caller's principal;
 *  - on success calls api->set_result and returns MCPGW_OK;
 *  - on failure may call api->set_error and returns another status.
 * All mcpgw_str arguments are BORROWED. A NULL function pointer means the
 * plugin does not offer that feature; the host then does not advertise the
 * matching capability.
 *
 * Lists are returned whole; the host paginates them. list_tools,
 * list_prompts and list_resource_templates must not depend on the
 * principal: the host caches them until list_changed. */
typedef struct mcpgw_plugin {
  uint32_t abi_version; /* MCPGW_PLUGIN_ABI_VERSION the plugin was built with */
  uint32_t struct_size; /* sizeof(mcpgw_plugin) the plugin was built with */
  const char *name;     /* STATIC, NUL-terminated, e.g. "memory" */
  const char *version;  /* STATIC, NUL-terminated, e.g. "1.0.0" */
  uint32_t flags;       /* MCPGW_PLUGIN_* flags */

  /* Creates an instance. On failure writes a NUL-terminated reason into
   * `error` (host-owned, `error_cap` bytes) and returns non-OK; the host
   * then refuses to start and prints the reason. */
  mcpgw_status (*create)(const mcpgw_plugin_init *init, void **instance_out,
                         char *error, size_t error_cap);

  /* Destroys an instance. No call is in flight; none follows. */
  void (*destroy)(void *instance);

  /* -> {"tools":[Tool...]} */
  mcpgw_status (*list_tools)(void *instance, mcpgw_call *call,
                             const mcpgw_principal *principal);

  /* `arguments_json` is a JSON object already validated against the tool's
   * inputSchema. -> CallToolResult {"content":[...], "structuredContent":
   * ..., "isError": bool}. Return MCPGW_NOT_FOUND for an unknown tool. */
  mcpgw_status (*call_tool)(void *instance, mcpgw_call *call,
                            const mcpgw_principal *principal, mcpgw_str name,
                            mcpgw_str arguments_json);

  /* -> {"resources":[Resource...]} (may depend on the principal) */
  mcpgw_status (*list_resources)(void *instance, mcpgw_call *call,
                                 const mcpgw_principal *principal);

  /* -> {"resourceTemplates":[ResourceTemplate...]} */
  mcpgw_status (*list_resource_templates)(void *instance, mcpgw_call *call,
                                          const mcpgw_principal *principal);

  /* -> {"contents":[...]}. Return MCPGW_NOT_FOUND for an unknown URI. */
  mcpgw_status (*read_resource)(void *instance, mcpgw_call *call,
                                const mcpgw_principal *principal,
                                mcpgw_str uri);

  /* -> {"prompts":[Prompt...]} */
  mcpgw_status (*list_prompts)(void *instance, mcpgw_call *call,
                               const mcpgw_principal *principal);

  /* `arguments_json` is a JSON object of string values (may be "{}").
   * -> GetPromptResult. MCPGW_NOT_FOUND for an unknown prompt,
   * MCPGW_INVALID_PARAMS for a missing required argument. */
  mcpgw_status (*get_prompt)(void *instance, mcpgw_call *call,
                             const mcpgw_principal *principal, mcpgw_str name,
                             mcpgw_str arguments_json);

  /* `request_json` is the completion/complete params object
   * ({"ref":..., "argument":..., "context":...}).
   * -> {"completion":{"values":[...], "total":n, "hasMore":bool}} */
  mcpgw_status (*complete)(void *instance, mcpgw_call *call,
                           const mcpgw_principal *principal,
                           mcpgw_str request_json);
} mcpgw_plugin;

/* The signature of the exported entry symbol. */
typedef const mcpgw_plugin *(*mcpgw_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCPGW_PLUGIN_H */
