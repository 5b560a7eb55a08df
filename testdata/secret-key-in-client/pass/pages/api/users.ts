import { adminKey } from '../../lib/admin-key'
export default function handler(req, res) { res.json({ n: adminKey.length }) }
