// The page that imports the action modules: Next.js registers actions only from modules
// the app imports.
import * as notes from '../actions'
import * as builders from '../builders/actions'
import * as fonts from '../fonts'
import * as refresh from '../refresh'
import * as shapes from '../shapes'

const modules = [notes, builders, fonts, refresh, shapes]

export default function Forms() {
  return <p>{modules.length}</p>
}
