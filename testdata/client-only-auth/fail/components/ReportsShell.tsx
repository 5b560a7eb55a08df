import { ReportsView } from './ReportsView'

export function ReportsShell({ id }: { id: string }) {
  return (
    <section>
      <h2>Reports</h2>
      <ReportsView id={id} />
    </section>
  )
}
