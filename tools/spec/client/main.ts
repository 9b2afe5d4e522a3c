// A TypeScript client of Kick, generated from the published documents (openapi/dist) with no
// hand-written request code, run under Node against kicktest by `make spec-client`
// (tools/specclient starts the fake and checks that it saw no spec violation).
//
// Two generators, each used as its documentation says:
//   - @hey-api/openapi-ts: an SDK per document (out/hey-api/api, out/hey-api/oauth);
//   - openapi-typescript types (out/kick-api.ts, out/kick-oauth.ts) with openapi-fetch.
//
// It checks what the published documents promise other languages: each generated client
// defaults to its own host (id.kick.com for OAuth), every array parameter has one wire format
// whatever the tool, and the calls a bot makes work: an app token from the OAuth host, a
// cursor-paginated list of livestreams, a user token from the authorization code flow, and a
// chat message sent with it.
import { createHash, randomBytes } from "node:crypto";

import createFetchClient from "openapi-fetch";

import * as api from "../out/hey-api/api";
import { createClient as createApiClient, createConfig as createApiConfig } from "../out/hey-api/api/client";
import { client as defaultApiClient } from "../out/hey-api/api/client.gen";
import * as oauth from "../out/hey-api/oauth";
import { createClient as createOAuthClient, createConfig as createOAuthConfig } from "../out/hey-api/oauth/client";
import { client as defaultOAuthClient } from "../out/hey-api/oauth/client.gen";
import type { paths as apiPaths, webhooks } from "../out/kick-api";
import type { paths as oauthPaths } from "../out/kick-oauth";

function env(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set`);
  }
  return v;
}

function check(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`check failed: ${what}`);
  }
  console.log(`ok: ${what}`);
}

// Every request of both generators goes through this fetch, which records the URLs.
const sent: URL[] = [];
const recording: typeof fetch = (input, init) => {
  const req = input instanceof Request ? input : new Request(input, init);
  sent.push(new URL(req.url));
  return fetch(req);
};

// A webhook payload is a type: the one of chat.message.sent, from the document's webhooks.
type ChatDelivery = NonNullable<webhooks["chat.message.sent"]["post"]>["requestBody"]["content"]["application/json"];
function describeDelivery(d: ChatDelivery): string {
  return `${d.sender.username}: ${d.content}`;
}

async function main(): Promise<void> {
  const apiURL = env("KICK_API_URL");
  const oauthURL = env("KICK_OAUTH_URL");
  const clientID = env("KICK_CLIENT_ID");
  const clientSecret = env("KICK_CLIENT_SECRET");
  const broadcaster = Number(env("KICK_BROADCASTER_ID"));

  // Generated from kick-oauth.yaml and kick-api.yaml, each client defaults to its own host.
  check(defaultOAuthClient.getConfig().baseUrl === "https://id.kick.com", "the hey-api OAuth client defaults to https://id.kick.com");
  check(defaultApiClient.getConfig().baseUrl === "https://api.kick.com", "the hey-api API client defaults to https://api.kick.com");
  console.log(describeDelivery({
    message_id: "9ec70d6a-256c-4646-86c1-271e080d1d5c",
    broadcaster: { is_anonymous: false, user_id: 1, username: "b", is_verified: true, profile_picture: "", channel_slug: "b", identity: null },
    sender: { is_anonymous: false, user_id: 2, username: "viewer", is_verified: null, profile_picture: "", channel_slug: "viewer", identity: null },
    content: "typed webhook payload",
    emotes: [{ emote_id: 37226, positions: [{ s: 0, e: 5 }] }],
  }));

  // This run points them at kicktest instead.
  const oauthClient = createOAuthClient(createOAuthConfig({ baseUrl: oauthURL, fetch: recording }));

  // 1. An app access token from the OAuth host (hey-api, form body).
  const app = await oauth.requestToken({
    client: oauthClient,
    body: { grant_type: "client_credentials", client_id: clientID, client_secret: clientSecret },
  });
  check(app.response.status === 200 && app.data !== undefined && app.data.access_token !== "", "requestToken (client_credentials) with hey-api");
  check(sent.at(-1)?.origin === new URL(oauthURL).origin, "the token request went to the OAuth host");
  const appToken = app.data!.access_token;
  const apiClient = createApiClient(createApiConfig({ baseUrl: apiURL, fetch: recording, auth: () => appToken }));

  // 2. Livestreams, page by page with the cursor (hey-api).
  const first = await api.listLivestreams({ client: apiClient, query: { limit: 2 } });
  check(first.response.status === 200 && first.data?.data.length === 2, "listLivestreams first page of 2");
  const cursor = first.data!.pagination?.next_cursor ?? "";
  check(cursor !== "", "the first page has a next cursor");
  const second = await api.listLivestreams({ client: apiClient, query: { limit: 2, cursor } });
  check(second.response.status === 200 && (second.data?.data.length ?? 0) > 0, "listLivestreams second page");
  const firstIDs = new Set(first.data!.data.map((s) => s.id));
  check(second.data!.data.every((s) => !firstIDs.has(s.id)), "the second page holds other streams");
  check(sent.at(-1)?.searchParams.get("cursor") === cursor, "the cursor was sent");

  // 3. One wire format for array parameters: hey-api and openapi-fetch send repeated keys.
  await api.listCategories({ client: apiClient, query: { id: [12, 15] } });
  const heyCategories = sent.at(-1)!;
  const fetchAPI = createFetchClient<apiPaths>({ baseUrl: apiURL, fetch: recording, headers: { Authorization: `Bearer ${appToken}` } });
  await fetchAPI.GET("/public/v2/categories", { params: { query: { id: [12, 15] } } });
  const fetchCategories = sent.at(-1)!;
  check(heyCategories.searchParams.getAll("id").join() === "12,15" && heyCategories.search === fetchCategories.search,
    `hey-api and openapi-fetch send the same query (${heyCategories.search})`);

  // 4. A user access token: the authorize redirect (a browser step, in no generated client), then
  // the code exchange with openapi-fetch, whose types come from kick-oauth.yaml.
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const redirectURI = "http://127.0.0.1:53682/callback";
  const state = randomBytes(16).toString("hex");
  const authorize = new URL("/oauth/authorize", oauthURL);
  authorize.search = new URLSearchParams({
    response_type: "code", client_id: clientID, redirect_uri: redirectURI, scope: "user:read chat:write",
    state, code_challenge: challenge, code_challenge_method: "S256",
  }).toString();
  const redirect = await fetch(authorize, { redirect: "manual" });
  const location = new URL(redirect.headers.get("location") ?? "", redirectURI);
  check(redirect.status === 302 && location.searchParams.get("state") === state, "authorize redirects with the state");
  const fetchOAuth = createFetchClient<oauthPaths>({ baseUrl: oauthURL, fetch: recording });
  const user = await fetchOAuth.POST("/oauth/token", {
    body: {
      grant_type: "authorization_code", code: location.searchParams.get("code") ?? "", client_id: clientID,
      client_secret: clientSecret, redirect_uri: redirectURI, code_verifier: verifier,
    },
    // openapi-fetch sends JSON unless told otherwise; the document says the form encoding.
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  check(user.response.status === 200 && user.data?.refresh_token !== undefined, "requestToken (authorization_code) with openapi-fetch");
  const userToken = user.data!.access_token;

  // 5. A chat message with the user token (openapi-fetch, then hey-api).
  const fetchUserAPI = createFetchClient<apiPaths>({ baseUrl: apiURL, fetch: recording, headers: { Authorization: `Bearer ${userToken}` } });
  const chat = await fetchUserAPI.POST("/public/v1/chat", {
    body: { type: "user", content: "hello from openapi-fetch", broadcaster_user_id: broadcaster },
  });
  check(chat.response.status === 200 && chat.data?.data.is_sent === true, "sendChatMessage with openapi-fetch");
  const userAPI = createApiClient(createApiConfig({ baseUrl: apiURL, fetch: recording, auth: () => userToken }));
  const reply = await api.sendChatMessage({
    client: userAPI,
    body: { type: "user", content: "hello from hey-api", broadcaster_user_id: broadcaster, reply_to_message_id: chat.data!.data.message_id },
  });
  check(reply.response.status === 200 && reply.data?.data.is_sent === true, "sendChatMessage (a reply) with hey-api");

  console.log(`spec-client: ${sent.length} requests, all answered as the documents say`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
