# vector plugin end to end: the real gateway with vector.so, the official
# SDK client, tokens of two tenants, and a restart on the same data.
mcpgw_node_test(e2e.vector vector.test.mjs TIMEOUT 120)
