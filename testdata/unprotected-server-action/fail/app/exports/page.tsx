import { exportAll } from '@legacy/exports/actions'

export default function Exports() {
  return <form action={exportAll}><button>Export</button></form>
}
