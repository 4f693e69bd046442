// One scripted session against the memory tools, as an MCP client would
// drive it. Returns every tool result so runs can be compared.
export const memoryToolNames = [
  'add_observations', 'create_entities', 'create_relations', 'delete_entities', 'delete_observations',
  'delete_relations', 'open_nodes', 'read_graph', 'search_nodes',
];

export const memoryScript = [
  ['create_entities', { entities: [
    { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] },
    { name: 'Analytical Engine', entityType: 'machine', observations: ['designed by Babbage'] },
    { name: 'Ada', entityType: 'person', observations: ['duplicate is ignored'] },
  ] }],
  ['create_relations', { relations: [
    { from: 'Ada', to: 'Analytical Engine', relationType: 'programmed' },
    { from: 'Ada', to: 'Analytical Engine', relationType: 'programmed' },
  ] }],
  ['add_observations', { observations: [{ entityName: 'Ada', contents: ['born 1815', 'wrote the first program'] }] }],
  ['add_observations', { observations: [{ entityName: 'Nobody', contents: ['x'] }] }],
  ['search_nodes', { query: 'BABBAGE' }],
  ['open_nodes', { names: ['Ada'] }],
  ['read_graph', {}],
  ['delete_observations', { deletions: [{ entityName: 'Ada', observations: ['born 1815'] }] }],
  ['delete_relations', { relations: [{ from: 'Ada', to: 'Analytical Engine', relationType: 'programmed' }] }],
  ['delete_entities', { entityNames: ['Analytical Engine'] }],
  ['read_graph', {}],
];

// Runs the script with `callTool(name, args)` and returns normalised results.
export async function runMemoryScript(callTool) {
  const results = [];
  for (const [name, args] of memoryScript) {
    const r = await callTool(name, args);
    results.push({
      name,
      isError: r.isError === true,
      text: r.content?.map((c) => c.text).join('\n'),
      structuredContent: r.structuredContent ?? null,
    });
  }
  return results;
}
