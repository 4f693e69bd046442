# The git plugin through the real gateway binary and the official SDK client.
mcpgw_node_test(e2e.git git.test.mjs TIMEOUT 120)
