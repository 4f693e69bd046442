// The scripted sequence of filesystem tool calls that the parity test runs
// against the gateway's filesystem.so and against the reference
// server-filesystem, on two identical trees. `base` is how each server names
// its tree's root: "/ws" for the gateway, the tree's absolute path for the
// reference. Steps marked errorOnly compare only that both refuse: their
// messages name paths outside the tree, which the gateway never shows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The files both trees start with.
export function plantTree(dir) {
  mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
  writeFileSync(join(dir, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]));
  writeFileSync(join(dir, 'data.bin'), Buffer.from([0, 1, 2, 250, 251]));
  writeFileSync(join(dir, 'crlf.txt'), 'one\r\ntwo\r\nthree\r\n');
}

export function filesystemSteps(base) {
  const at = (relative) => `${base}/${relative}`;
  return [
    ['list_allowed_directories', {}],
    ['write_file', { path: at('notes.txt'), content: 'alpha\nbeta\ngamma\ndelta\n' }],
    ['read_text_file', { path: at('notes.txt') }],
    ['read_text_file', { path: 'notes.txt', head: 2 }],
    ['read_text_file', { path: at('notes.txt'), tail: 2 }],
    ['read_text_file', { path: at('crlf.txt'), tail: 2 }],
    ['read_text_file', { path: at('crlf.txt'), head: 2 }],
    ['read_text_file', { path: at('notes.txt'), head: 1, tail: 1 }],
    ['read_file', { path: 'notes.txt' }],
    ['create_directory', { path: at('src/lib') }],
    ['create_directory', { path: at('src/lib') }],
    ['write_file', { path: at('src/lib/a.js'), content: 'export const a = 1;\n' }],
    ['write_file', { path: at('src/main.ts'), content: 'function main() {\n  return 1;\n}\n' }],
    ['write_file', { path: at('src/main.ts'), content: 'function main() {\n    return 1;\n}\n' }],
    ['edit_file', { path: at('src/main.ts'), edits: [{ oldText: 'return 1;', newText: 'return 2;' }], dryRun: true }],
    ['edit_file', { path: at('src/main.ts'), edits: [{ oldText: 'function main() {\n  return 1;', newText: 'function main() {\n  return 3;' }] }],
    ['read_text_file', { path: at('src/main.ts') }],
    ['edit_file', { path: at('src/main.ts'), edits: [{ oldText: 'nowhere', newText: 'x' }] }],
    ['edit_file', { path: at('crlf.txt'), edits: [{ oldText: 'two\r\n', newText: 'TWO\n' }] }],
    ['list_directory', { path: base }],
    ['list_directory', { path: at('src') }],
    ['list_directory_with_sizes', { path: at('src') }],
    ['list_directory_with_sizes', { path: at('src'), sortBy: 'size' }],
    ['directory_tree', { path: base, excludePatterns: ['node_modules'] }],
    ['directory_tree', { path: at('src') }],
    ['search_files', { path: base, pattern: '**/*.js' }],
    ['search_files', { path: base, pattern: '**/*.js', excludePatterns: ['node_modules/**'] }],
    ['search_files', { path: at('src'), pattern: '*.ts' }],
    ['search_files', { path: base, pattern: '*.nothing' }],
    ['move_file', { source: at('notes.txt'), destination: at('src/notes.md') }],
    ['move_file', { source: at('src/lib/a.js'), destination: at('src/main.ts') }],
    ['get_file_info', { path: at('src/notes.md') }],
    ['get_file_info', { path: at('src') }],
    ['read_multiple_files', { paths: [at('src/notes.md'), at('missing.txt'), at('src/lib/a.js')] }],
    ['read_media_file', { path: at('img.png') }],
    ['read_media_file', { path: at('data.bin') }],
    ['read_text_file', { path: at('missing.txt') }],
    ['list_directory', { path: at('missing') }],
    ['get_file_info', { path: at('nothing-here') }],
    ['read_text_file', { path: '../outside.txt' }, { errorOnly: true }],
    ['read_text_file', { path: '/etc/hostname' }, { errorOnly: true }],
    ['write_file', { path: at('../escape.txt'), content: 'x' }, { errorOnly: true }],
    ['list_directory', { path: base }],
  ];
}

// Runs the steps with `call(name, args)`; returns comparable results:
// `root` (the base's absolute form in texts) becomes "/ws" and times become
// "<time>".
export async function runFilesystemScript(base, root, call) {
  const results = [];
  for (const [name, args, options = {}] of filesystemSteps(base)) {
    const result = await call(name, args);
    if (options.errorOnly) {
      results.push({ name, isError: result.isError === true });
      continue;
    }
    const text = JSON.stringify({ content: result.content, structuredContent: result.structuredContent ?? null })
      .split(root).join('/ws')
      .replace(/(created|modified|accessed): [^\\]*/g, '$1: <time>');
    results.push({ name, isError: result.isError === true, ...JSON.parse(text) });
  }
  return results;
}
