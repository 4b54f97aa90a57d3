import { OrganizationTreeSnapshot } from './organization.tree';

const node = (id: string, parentId: string | null) => ({
  id,
  code: id,
  name: id,
  kind: 'SUBDIVISION' as const,
  parentId,
  timeZone: 'Asia/Barnaul',
});

describe('the organisation tree', () => {
  const tree = new OrganizationTreeSnapshot([node('a', null), node('b', 'a'), node('c', 'b'), node('d', 'a')]);

  it('walks up from an organisation, nearest first', () => {
    expect(tree.pathOf('c')).toEqual(['c', 'b', 'a']);
    expect(tree.pathOf('unknown')).toEqual([]);
  });

  it('walks down from several organisations at once', () => {
    expect([...tree.subtreesOf(['b'])].sort()).toEqual(['b', 'c']);
    expect([...tree.subtreesOf(['a'])].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...tree.subtreesOf(['unknown'])]).toEqual([]);
  });

  it('knows the organisations at the top (whose coordinators together cover every organisation)', () => {
    expect(tree.roots()).toEqual(['a']);
    expect(new OrganizationTreeSnapshot([node('a', null), node('e', null), node('f', 'e')]).roots()).toEqual([
      'a',
      'e',
    ]);
  });

  it('a cycle in bad data ends the walk instead of looping', () => {
    const looped = new OrganizationTreeSnapshot([node('x', 'y'), node('y', 'x')]);
    expect(looped.pathOf('x')).toEqual(['x', 'y']);
    expect([...looped.subtreesOf(['x'])].sort()).toEqual(['x', 'y']);
    expect(looped.roots()).toEqual([]);
  });
});
