package main

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/kick/kickauth"
)

// Shell completion: cobra's, for bash, zsh, fish and PowerShell ('kick completion SHELL'), with
// the values kick knows: event types and scopes always, accounts and hosts from the account
// index, saved deliveries from their directory, and ids (users, categories, subscriptions) from a
// 'kick mock serve' of --base-url, which answers on loopback at once. Nothing else asks the
// network: a Tab must not wait for Kick.

// registerCompletions adds the completion of the global flags.
func (a *app) registerCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("account", a.completeAccounts)
	_ = root.MarkPersistentFlagFilename("client-secret-file")
	_ = root.MarkPersistentFlagDirname("token-dir")
}

// completionSetup fills the settings from the flags and the environment, as a command would,
// without reading stdin.
func (a *app) completionSetup() {
	_ = a.g.resolve(a.getenv)
	if a.g.secretFile.value != "-" {
		var none io.Reader = takenStdin{}
		_ = a.g.readSecret(a.getenv, &none, io.Discard)
	}
}

// completeEventTypes completes event types, and "all" when withAll.
func completeEventTypes(withAll bool) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		types := kick.AllEventTypes
		if !withAll {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			types = sampleTypes()
		}
		var out []cobra.Completion
		for _, t := range types {
			out = append(out, string(t))
		}
		if withAll {
			out = append(out, cobra.CompletionWithDesc("all", "every event type"))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeScopes completes a comma-separated list of scopes, the scopes given kept.
func completeScopes(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	prefix := ""
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		prefix = toComplete[:i+1]
	}
	out := []cobra.Completion{prefix + "all"}
	for _, s := range kick.AllScopes {
		if !strings.Contains(","+prefix, ","+string(s)+",") {
			out = append(out, prefix+string(s))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeUserIDs completes the user ids of the mock, with their names.
func (a *app) completeUserIDs(c *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	a.completionSetup()
	st, err := a.mockStatus(c.Context())
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, u := range st.Users {
		desc := u.Username
		if u.Role != "" {
			desc += ", " + u.Role
		}
		out = append(out, cobra.CompletionWithDesc(strconv.FormatInt(u.UserID, 10), desc))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// mockClient is a client of the mock with its app token, for completions; nil when --base-url is
// not a mock.
func (a *app) mockClient(ctx context.Context) (*kick.Client, context.Context, context.CancelFunc) {
	a.completionSetup()
	if !a.isMock(ctx) {
		return nil, ctx, func() {}
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	src, err := a.appSource(ctx)
	if err != nil {
		cancel()
		return nil, ctx, func() {}
	}
	c, err := kick.NewClient(append(a.clientOptions(), kick.WithAppTokenSource(src))...)
	if err != nil {
		cancel()
		return nil, ctx, func() {}
	}
	return c, ctx, cancel
}

// completeCategoryIDs completes the category ids of the mock, with their names.
func (a *app) completeCategoryIDs(c *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	kc, ctx, cancel := a.mockClient(c.Context())
	defer cancel()
	if kc == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	page, err := kc.Categories.List(ctx, kick.CategoryListParams{Limit: 100})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, cat := range page.Items {
		out = append(out, cobra.CompletionWithDesc(strconv.FormatInt(cat.ID, 10), cat.Name))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeSubscriptionIDs completes the event subscription ids of the mock's app.
func (a *app) completeSubscriptionIDs(c *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	kc, ctx, cancel := a.mockClient(c.Context())
	defer cancel()
	if kc == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	subs, err := kc.Events.List(ctx, kick.EventListParams{})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, s := range subs {
		out = append(out, cobra.CompletionWithDesc(s.ID, string(s.Type)+" of "+strconv.FormatInt(s.BroadcasterUserID, 10)))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeAccounts completes the accounts of the host of --host, else of --oauth-url.
func (a *app) completeAccounts(c *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	a.completionSetup()
	host := a.host()
	if f := c.Flags().Lookup("host"); f != nil && f.Value.String() != "" {
		host = f.Value.String()
	}
	ls := a.completionLogins()
	h := ls.Hosts[host]
	if h == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, name := range h.AccountNames() {
		desc := "app " + h.Accounts[name].ClientID
		if name == h.Active {
			desc = "active, " + desc
		}
		out = append(out, cobra.CompletionWithDesc(name, desc))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completionLogins is the index of logins, empty when it cannot be read.
func (a *app) completionLogins() *kickauth.Logins {
	if store, err := a.existingLogins(); err == nil {
		if ls, err := store.Logins(); err == nil {
			return ls
		}
	}
	return &kickauth.Logins{}
}

// completeHosts completes the hosts of the account index.
func (a *app) completeHosts(_ *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	a.completionSetup()
	return a.completionLogins().HostNames(), cobra.ShellCompDirectiveNoFileComp
}

// completeDeliveryIDs completes the ids of the saved deliveries, newest first.
func (a *app) completeDeliveryIDs(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	dir := ""
	if f := c.Flags().Lookup("dir"); f != nil {
		dir = f.Value.String()
	}
	store, err := a.deliveries(dir)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	ids, err := store.ids()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for i := len(ids) - 1; i >= 0; i-- {
		out = append(out, ids[i])
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
}
