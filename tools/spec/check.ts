// Proves that openapi/kick.yaml is usable from TypeScript: `make spec-ts` turns it into types with
// openapi-typescript (out/kick.ts) and type-checks this file against them with tsc --noEmit.
import type { components, operations, paths } from "./out/kick";

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

// A request body with its limits' types, and an enum.
const message: Schemas["ChatMessageInput"] = { type: "bot", content: "!ping answered" };
const event: Schemas["EventName"] = "moderation.banned";
const subscribe: Schemas["EventSubscriptionsInput"] = {
  broadcaster_user_id: 123,
  events: [{ name: event, version: 1 }],
  method: "webhook",
};

// The OAuth token form is a union discriminated by grant_type.
const grant: Schemas["TokenGrant"] = {
  grant_type: "client_credentials",
  client_id: "id",
  client_secret: "secret",
};

// The drops cursor sits inside data.
function nextDropsCursor(page: Schemas["DropsClaimsEnvelope"]): string | undefined {
  return page.data.cursor;
}

export { chat, query, firstName, message, subscribe, grant, nextDropsCursor };
