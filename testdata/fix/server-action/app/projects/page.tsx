import { archive, rename } from '../actions/projects'

export default function Projects() {
  return (
    <form action={archive.bind(null, 'p1')}>
      <button formAction={rename.bind(null, 'p1', 'Renamed')}>Rename</button>
    </form>
  )
}
