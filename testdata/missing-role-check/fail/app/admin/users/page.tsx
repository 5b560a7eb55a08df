import * as admin from '../actions'

export default function Users() {
  return <p>{Object.keys(admin).length}</p>
}
