// Guards the environment, not src/ (no mutant of src/ can fail it): Zapier runs core 19 on
// Node 22, and the suite must run there too. npm scripts put the pinned Node 22 (the `node`
// package) first on PATH; this fails when jest is started with another node (the system's 20).
test('the suite runs on Node 22', () => {
  expect(process.versions.node.split('.')[0]).toBe('22');
});
