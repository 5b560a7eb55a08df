// export default async function handler(req, res) {
//   res.json(await db.device.findMany())
// }
