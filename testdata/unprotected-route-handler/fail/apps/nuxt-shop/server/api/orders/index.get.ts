import { db } from '../../utils/db'

export default defineEventHandler(async (event) => { // expect: unprotected-route-handler
  return db.orders()
})
