// The territorial tree of the caller's scope as Element Plus tree nodes, so that places are picked by name, never typed as codes.
import { api, type Schemas } from '@/api/client';
import { nestGrids } from '@/shared/gridTree';

type Grid = Schemas['GridSummary'];

export interface GridNode {
  value: string;
  label: string;
  level: Grid['level'];
  kind: string;
  disabled: boolean;
  children: GridNode[];
}

/**
 * Loads the grids of the caller's scope (micro-grids left out: no organisation serves one) and nests them by parent.
 * `selectable` says which nodes may be picked (the others only open to their children); dedicated grids are labelled by `dedicatedLabel`.
 */
export async function loadGridTree(selectable: (grid: Grid) => boolean, dedicatedLabel: (name: string) => string): Promise<{ roots: GridNode[]; names: Map<string, string> }> {
  const { data } = await api.GET('/api/grids');
  const grids = (data ?? []).filter((g) => g.level !== 'micro');
  const roots = nestGrids<GridNode>(grids, (g) => ({
    value: g.code, label: g.kind === 'dedicated' ? dedicatedLabel(g.name) : g.name, level: g.level, kind: g.kind, disabled: !selectable(g), children: [],
  }));
  return { roots, names: new Map(grids.map((g) => [g.code, g.name])) };
}

/** The levels each kind may serve, as the server's OrganisationRules.MayServe has them (the server still decides). */
export function mayServe(kind: string, grid: { level: string; kind: string }): boolean {
  const dedicated = grid.kind === 'dedicated';
  switch (kind) {
    case 'department': return !dedicated && ['district', 'subdistrict'].includes(grid.level);
    case 'property-company': return !dedicated && ['district', 'subdistrict', 'community'].includes(grid.level);
    case 'owners-committee': return !dedicated && ['community', 'grid-2', 'grid-3'].includes(grid.level);
    case 'public-unit': return dedicated || ['subdistrict', 'community', 'grid-2', 'grid-3'].includes(grid.level);
    case 'alliance': return dedicated || ['subdistrict', 'community'].includes(grid.level);
    default: return false;
  }
}
