// The app's projects per organization (in memory for the test app).
const projects = [
  { id: 'p1', orgId: 'org_2probeAcme', name: 'Roadmap' },
  { id: 'p2', orgId: 'org_2probeGlobex', name: 'Payroll' },
]

export function projectsOf(orgId) {
  return projects.filter((p) => p.orgId === orgId)
}
