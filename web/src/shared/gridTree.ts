// The territorial tree as nested picker nodes: every console picker of grids (scope, roster grid, briefing audience,
// organisation region) nests the flat /api/grids list the same way, so that places are picked by name, never typed.
import type { Schemas } from '@/api/client';

type Grid = Schemas['GridSummary'];

/**
 * Nests `grids` under their parents, each made a node by `node`; a grid whose parent is not in the list (the caller's
 * scope root) is a root. Children keep the list's order.
 */
export function nestGrids<N extends { children?: N[] }>(grids: readonly Grid[], node: (grid: Grid) => N): N[] {
  const nodes = new Map(grids.map((g) => [g.code, node(g)]));
  const roots: N[] = [];
  for (const g of grids) {
    const parent = g.parentCode ? nodes.get(g.parentCode) : undefined;
    if (parent) (parent.children ??= []).push(nodes.get(g.code)!);
    else roots.push(nodes.get(g.code)!);
  }
  return roots;
}
