import { INBOX_ACTIONS } from './actions'

export default function Inbox() {
  return <ul>{INBOX_ACTIONS.map((a) => <li key={a}>{a}</li>)}</ul>
}
