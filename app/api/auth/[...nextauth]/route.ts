import NextAuth from "next-auth";
import { withLoginThrottle } from "@/lib/auth/login-route.ts";
import { authOptions } from "@/lib/auth/options.ts";

const handler = withLoginThrottle(NextAuth(authOptions));

export { handler as GET, handler as POST };
