// Where each role starts. The phone pages serve people in the field, the console people at a desk;
// a user with roles of both kinds starts at the desk.
export const consoleRoles = [
  'community-staff',
  'subdistrict-operator',
  'department-liaison',
  'district-viewer',
  'system-admin',
  'security-admin',
  'audit-admin',
] as const;
export const fieldRoles = ['micro-grid-worker', 'grid-worker', 'grid-leader', 'property-staff'] as const;

/** An absolute path: /m/mine (residents), /m/tasks (grid and property staff) or / (console). */
export function landingFor(roles: readonly string[]): string {
  if (roles.some((r) => (consoleRoles as readonly string[]).includes(r))) return '/';
  if (roles.some((r) => (fieldRoles as readonly string[]).includes(r))) return '/m/tasks';
  return '/m/mine';
}

export function isStaff(roles: readonly string[]): boolean {
  return roles.some((r) => r !== 'resident');
}

const administratorRoles = ['system-admin', 'security-admin', 'audit-admin'];

/** True for the three administrators, who hold no business role and see no case (MLPS separation of duties). */
export function isAdministrator(roles: readonly string[]): boolean {
  return roles.length > 0 && roles.every((r) => administratorRoles.includes(r));
}

/** Where an administrator's console starts: their own work, not the case queues they may not read. */
export function administratorHome(roles: readonly string[]): string {
  if (roles.includes('security-admin')) return '/users';
  if (roles.includes('audit-admin')) return '/security-events';
  return '/organisations';
}
