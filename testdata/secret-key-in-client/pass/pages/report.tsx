import { db } from '../lib/db'

export const getStaticProps = async () => {
  const clerk = 'sk_live_zeaoENAEgtFbULDZaTDTTJGNAcD3D8x91alC6vmJTF'
  return { props: { rows: await db.rows(clerk) } }
}

export default function Report({ rows }) {
  return <table>{rows.length}</table>
}
