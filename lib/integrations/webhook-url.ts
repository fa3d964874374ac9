import { appUrl } from "../config/env.ts";

/** Where the provider posts: built from APP_URL, the workspace's id (not its slug, which an owner may change). */
export function webhookUrl(workspaceId: string, provider: string, name: string): string {
  const base = `${appUrl()}/api/webhooks/${provider}/${workspaceId}`;
  return provider === "inbound" ? `${base}/${name}` : base;
}
