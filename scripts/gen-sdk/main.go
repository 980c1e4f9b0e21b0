// Command gen-sdk writes a language SDK of the provider plugin from its schema, with the Pulumi code generators
// that `pulumi package gen-sdk` runs (pkg/codegen). Why not that command: for Python it asks the Python language
// host (`pulumi-language-python`) to generate, and that binary's Go module is not served by the module proxy
// reachable here, while the generator package itself is (scripts/gen-sdk.sh builds and runs this). The same
// holds for Go (pkg/codegen/go, which `pulumi-language-go` runs). .NET is not here: its generator left pkg/v3
// for the pulumi-dotnet repository, whose module the proxy here does not serve.
//
//	gen-sdk <schema.json> <python|go> <out-dir>
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 4 || (os.Args[2] != "python" && os.Args[2] != "go") {
		fmt.Fprintln(os.Stderr, "usage: gen-sdk <schema.json> <python|go> <out-dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "gen-sdk:", err)
		os.Exit(1)
	}
}

func run(schemaPath, language, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, schema.NewNullLoader(), schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s does not validate: %s", schemaPath, diags.Error())
	}
	var files map[string][]byte
	if language == "go" {
		files, err = gogen.GeneratePackage("pulumi-databricks-scim gen-sdk", pkg, nil)
	} else {
		files, err = python.GeneratePackage("pulumi-databricks-scim gen-sdk", pkg, nil, nil)
	}
	if err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
