import Reports from '../../components/reports'

export default function ReportsPage() {
  return (
    <main>
      <Reports />
    </main>
  )
}
