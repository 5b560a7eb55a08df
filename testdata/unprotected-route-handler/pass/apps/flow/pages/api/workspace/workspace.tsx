import { useState } from 'react'

type Props = { teamId: string }

const Workspace = ({ teamId }: Props) => {
  const [open, setOpen] = useState(false)
  return (
    <section data-team={teamId} onClick={() => setOpen(!open)}>
      {open ? 'Workspace' : null}
    </section>
  )
}

export default Workspace
