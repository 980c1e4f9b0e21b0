// One Pulumi operation on the plugin's Go test program, through the Go Automation API (the real CLI underneath,
// with a local file backend). The program is inline: it runs in this process, so no Go language host binary
// (pulumi-language-go) is needed. Run by test/sdk/pluginGoProgram.test.ts, one process per operation:
//
//	stack <up|preview|refresh|destroy> --dir DIR --variant first|changed --result FILE [--diff]
//
// The environment gives the CLI (PULUMI_SCIM_CLI_ROOT), the emulator (SCIM_HOST, SCIM_ACCOUNT_ID,
// SCIM_WORKSPACE_ID) and its tokens (SCIM_TOKEN, SCIM_ACCOUNT_TOKEN); the plugin is on PATH.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	scim "pulumi-databricks-scim/sdk/go/databricksscim"
)

const project = "scim-go"

// program: users and a group with its members in the workspace; an account user assigned to the workspace,
// through an explicit provider for the account (the default provider is the workspace's, from stack config).
func program(ctx *pulumi.Context) error {
	changed := config.Require(ctx, "variant") == "changed"
	displayName, entitlement := "Alice", "allow-cluster-create"
	if changed {
		displayName, entitlement = "Alice A", "databricks-sql-access"
	}
	alice, err := scim.NewUser(ctx, "alice", &scim.UserArgs{
		UserName:     pulumi.String("alice@example.com"),
		DisplayName:  pulumi.String(displayName),
		Entitlements: pulumi.StringArray{pulumi.String(entitlement)},
	})
	if err != nil {
		return err
	}
	bob, err := scim.NewUser(ctx, "bob", &scim.UserArgs{UserName: pulumi.String("bob@example.com")})
	if err != nil {
		return err
	}
	// The group's second member: bob, then carol (made by the changed program) in his place.
	other, otherName := bob, "bob@example.com"
	if changed {
		otherName = "carol@example.com"
		if other, err = scim.NewUser(ctx, "carol", &scim.UserArgs{UserName: pulumi.String(otherName)}); err != nil {
			return err
		}
	}
	eng, err := scim.NewGroup(ctx, "eng", &scim.GroupArgs{DisplayName: pulumi.String("eng")})
	if err != nil {
		return err
	}
	if _, err = scim.NewGroupMembers(ctx, "eng-members", &scim.GroupMembersArgs{
		GroupId: eng.ID().ToStringOutput(),
		Members: pulumi.StringMap{"alice@example.com": alice.ID().ToStringOutput(), otherName: other.ID().ToStringOutput()},
	}); err != nil {
		return err
	}

	account, err := scim.NewProvider(ctx, "account", &scim.ProviderArgs{
		Host:      pulumi.String(os.Getenv("SCIM_HOST")),
		Token:     pulumi.ToSecret(pulumi.String(os.Getenv("SCIM_ACCOUNT_TOKEN"))).(pulumi.StringOutput),
		AccountId: pulumi.String(os.Getenv("SCIM_ACCOUNT_ID")),
		Level:     pulumi.String("account"),
	})
	if err != nil {
		return err
	}
	ana, err := scim.NewUser(ctx, "ana", &scim.UserArgs{UserName: pulumi.String("ana@example.com")}, pulumi.Provider(account))
	if err != nil {
		return err
	}
	permission := "USER"
	if changed {
		permission = "ADMIN"
	}
	if _, err = scim.NewWorkspaceAssignment(ctx, "ana-access", &scim.WorkspaceAssignmentArgs{
		PrincipalId: ana.ID().ToStringOutput(),
		WorkspaceId: pulumi.String(os.Getenv("SCIM_WORKSPACE_ID")),
		Permissions: pulumi.StringArray{pulumi.String(permission)},
	}, pulumi.Provider(account)); err != nil {
		return err
	}
	if changed {
		// A lookup (the plugin's invoke databricks-scim:index:getUser) of the user the first run made.
		found, err := scim.LookupUser(ctx, &scim.LookupUserArgs{UserName: "alice@example.com"})
		if err != nil {
			return err
		}
		ctx.Export("aliceViaLookup", pulumi.String(found.Id))
	}
	ctx.Export("alice", alice.ID())
	ctx.Export("eng", eng.ID())
	return nil
}

type result struct {
	Output        string                 `json:"output"`
	Error         string                 `json:"error,omitempty"`
	Summary       map[string]int         `json:"summary,omitempty"`
	ChangeSummary map[string]int         `json:"changeSummary,omitempty"`
	Outputs       map[string]interface{} `json:"outputs,omitempty"`
}

func run(ctx context.Context, command, dir, variant string, diff bool, out *strings.Builder) (result, error) {
	var r result
	home := filepath.Join(dir, ".pulumi-home")
	backend := "file://" + filepath.Join(dir, ".state")
	if err := os.MkdirAll(filepath.Join(dir, ".state"), 0o755); err != nil {
		return r, err
	}
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: os.Getenv("PULUMI_SCIM_CLI_ROOT"), SkipVersionCheck: true})
	if err != nil {
		return r, err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, "test", project, program,
		auto.WorkDir(dir),
		auto.PulumiHome(home),
		auto.Pulumi(cli),
		auto.SecretsProvider("passphrase"),
		auto.EnvVars(map[string]string{
			"PULUMI_HOME":                                 home,
			"PULUMI_BACKEND_URL":                          backend,
			"PULUMI_CONFIG_PASSPHRASE":                    "local-file-backend-passphrase",
			"PULUMI_SKIP_UPDATE_CHECK":                    "true",
			"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
			"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK":    "true",
		}),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: backend},
		}),
	)
	if err != nil {
		return r, err
	}
	if err := stack.SetConfig(ctx, "variant", auto.ConfigValue{Value: variant}); err != nil {
		return r, err
	}
	if err := stack.SetConfig(ctx, "databricks-scim:host", auto.ConfigValue{Value: os.Getenv("SCIM_HOST")}); err != nil {
		return r, err
	}
	if err := stack.SetConfig(ctx, "databricks-scim:token", auto.ConfigValue{Value: os.Getenv("SCIM_TOKEN"), Secret: true}); err != nil {
		return r, err
	}

	summary := func(s auto.UpdateSummary) map[string]int {
		if s.ResourceChanges == nil {
			return map[string]int{}
		}
		return *s.ResourceChanges
	}
	switch command {
	case "up":
		opts := []optup.Option{optup.ProgressStreams(out), optup.Color("never")}
		if diff {
			opts = append(opts, optup.Diff())
		}
		res, err := stack.Up(ctx, opts...)
		if err != nil {
			return r, err
		}
		r.Summary = summary(res.Summary)
		r.Outputs = map[string]interface{}{}
		for k, v := range res.Outputs {
			r.Outputs[k] = v.Value
		}
	case "preview":
		opts := []optpreview.Option{optpreview.ProgressStreams(out), optpreview.Color("never")}
		if diff {
			opts = append(opts, optpreview.Diff())
		}
		res, err := stack.Preview(ctx, opts...)
		if err != nil {
			return r, err
		}
		r.ChangeSummary = map[string]int{}
		for k, v := range res.ChangeSummary {
			r.ChangeSummary[string(k)] = v
		}
	case "refresh":
		res, err := stack.Refresh(ctx, optrefresh.ProgressStreams(out), optrefresh.Color("never"))
		if err != nil {
			return r, err
		}
		r.Summary = summary(res.Summary)
	case "destroy":
		res, err := stack.Destroy(ctx, optdestroy.ProgressStreams(out), optdestroy.Color("never"))
		if err != nil {
			return r, err
		}
		r.Summary = summary(res.Summary)
	default:
		return r, fmt.Errorf("command must be up, preview, refresh or destroy, got %q", command)
	}
	return r, nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: stack <up|preview|refresh|destroy> --dir DIR --variant first|changed --result FILE [--diff]")
		os.Exit(2)
	}
	command := os.Args[1]
	flags := flag.NewFlagSet("stack", flag.ExitOnError)
	dir := flags.String("dir", "", "the stack's work folder (state, PULUMI_HOME)")
	variant := flags.String("variant", "", "first or changed: which version of the program to run")
	resultFile := flags.String("result", "", "where to write the result as JSON")
	diff := flags.Bool("diff", false, "show the detailed diff (pulumi --diff)")
	_ = flags.Parse(os.Args[2:])
	if *dir == "" || *variant == "" || *resultFile == "" {
		fmt.Fprintln(os.Stderr, "--dir, --variant and --result are required")
		os.Exit(2)
	}

	var out strings.Builder
	r, err := run(context.Background(), command, *dir, *variant, *diff, &out)
	code := 0
	if err != nil {
		r.Error = err.Error()
		code = 1
	}
	r.Output = out.String()
	body, jerr := json.MarshalIndent(r, "", "  ")
	if jerr == nil {
		jerr = os.WriteFile(*resultFile, body, 0o644)
	}
	if jerr != nil {
		fmt.Fprintln(os.Stderr, jerr)
		code = 1
	}
	os.Exit(code)
}
