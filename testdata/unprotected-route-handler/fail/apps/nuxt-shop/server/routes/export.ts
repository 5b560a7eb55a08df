import { db } from '../utils/db'

export default eventHandler(async () => await db.exportAll()) // expect: unprotected-route-handler
