// Zapier runs core 19 on Node 22; the suite must run there too (npm scripts pick the pinned node).
test('the suite runs on Node 22', () => {
  expect(process.versions.node.split('.')[0]).toBe('22');
});
