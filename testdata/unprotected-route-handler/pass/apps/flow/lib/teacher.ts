export const isTeacher = (userId?: string | null) => userId === process.env.NEXT_PUBLIC_TEACHER_ID
