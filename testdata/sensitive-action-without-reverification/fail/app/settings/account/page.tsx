import * as settings from '../actions'

export default function Account() {
  return <p>{Object.keys(settings).length}</p>
}
