import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withLoginThrottle } from "@/lib/http/with-login-throttle.ts";

const handler = withLoginThrottle(NextAuth(authOptions));

export { handler as GET, handler as POST };
export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
