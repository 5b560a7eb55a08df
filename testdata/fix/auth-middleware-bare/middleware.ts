import { authMiddleware } from "@clerk/nextjs";

export default authMiddleware();
