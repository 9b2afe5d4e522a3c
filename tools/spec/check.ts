// Proves that the published documents (openapi/dist, derived from openapi/kick.yaml) are usable
// from TypeScript: `make spec-ts` turns them into types with openapi-typescript (out/kick-api.ts,
// out/kick-oauth.ts) and type-checks this file against them with tsc --noEmit.
import type { components, operations, paths, webhooks } from "./out/kick-api";
import type { components as oauthComponents, paths as oauthPaths } from "./out/kick-oauth";

type Schemas = components["schemas"];

// A webhook delivery decodes into its event type; identity may be null.
const chat: Schemas["ChatMessageSentEvent"] = {
  message_id: "828f83bb-e391-4c78-9e91-af35a172840e",
  broadcaster: {
    is_anonymous: false,
    user_id: 123456789,
    username: "broadcaster_name",
    is_verified: true,
    profile_picture: "",
    channel_slug: "broadcaster_channel",
    identity: null,
  },
  sender: {
    is_anonymous: false,
    user_id: 987654321,
    username: "sender_name",
    is_verified: false,
    profile_picture: "",
    channel_slug: "sender_channel",
    identity: { username_color: "#FF5733", badges: [{ text: "Subscriber", type: "subscriber", count: 3 }] },
  },
  content: "Hello",
  emotes: null,
};

// Query parameters of a GET, and the envelope of its 200 response.
type GetUsersQuery = NonNullable<operations["getUsers"]["parameters"]["query"]>;
const query: GetUsersQuery = { id: [1, 2, 3] };
type UserList = paths["/public/v1/users"]["get"]["responses"][200]["content"]["application/json"];
function firstName(list: UserList): string | undefined {
  return list.data[0]?.name;
}

// A request body with its limits' types, and an enum. The chat rule is in the type: a user message
// names its channel.
const message: Schemas["ChatMessageInput"] = { type: "bot", content: "!ping answered" };
const toChannel: Schemas["ChatMessageInput"] = { type: "user", content: "hi", broadcaster_user_id: 123 };
// @ts-expect-error a user message without broadcaster_user_id
const lost: Schemas["ChatMessageInput"] = { type: "user", content: "hi" };
const event: Schemas["EventName"] = "moderation.banned";
// Response enums are open: a subscription may report an event type newer than the document.
const reported: Schemas["EventSubscription"]["event"] = "channel.raid.started";
const subscribe: Schemas["EventSubscriptionsInput"] = {
  broadcaster_user_id: 123,
  events: [{ name: event, version: 1 }],
  method: "webhook",
};

// The OAuth operations are in their own document, whose server is id.kick.com.
// The token form is a union discriminated by grant_type.
const grant: oauthComponents["schemas"]["TokenGrant"] = {
  grant_type: "client_credentials",
  client_id: "id",
  client_secret: "secret",
};

// The drops cursor sits inside data.
function nextDropsCursor(page: Schemas["DropsClaimsEnvelope"]): string | undefined {
  return page.data.cursor;
}

// Webhook deliveries are typed from the document's webhooks, the Drops claim included.
type Delivery<K extends keyof webhooks> = NonNullable<webhooks[K]["post"]>["requestBody"]["content"]["application/json"];
function giftedBy(d: Delivery<"channel.subscription.gifts">): string {
  return d.gifter.is_anonymous ? "anonymous" : (d.gifter.username ?? "");
}
const claim: Delivery<"drops.claim"> = {
  claim_id: "01KAKQ02J0Q11N8H6N1T3SPBV1",
  user_id: 9183746,
  campaign_id: "01K9PT69ZWCJTPKF0R975KMS8E",
  reward_id: "01K9MKT3A1Y20BZB2RS7AFT4PH",
};
// An emote id is a string or a number.
const emotes: Schemas["Emote"][] = [{ emote_id: "4148074", positions: [] }, { emote_id: 37226, positions: [] }];
type TokenPath = keyof oauthPaths;
const tokenPath: TokenPath = "/oauth/token";

export { chat, query, firstName, message, toChannel, lost, reported, subscribe, grant, nextDropsCursor, giftedBy, claim, emotes, tokenPath };
