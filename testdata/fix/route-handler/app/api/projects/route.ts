import { currentUser as _unused } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

export async function GET() {
  return Response.json(await db.project.findMany());
}

export function DELETE(req: Request) {
  const id = new URL(req.url).searchParams.get("id");
  return Response.json(db.project.delete({ where: { id } }));
}
