// Command sdkgen generates this package's SDKs from the provider plugin's schema with Pulumi's
// own code generators (pkg/v3/codegen), as `pulumi package gen-sdk` would if the language hosts
// available here implemented it. The SDKs are written, never edited by hand.
//
//	go run ./scripts/sdkgen SCHEMA OUT_DIR      writes OUT_DIR/{python,go,nodejs}
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"

	"github.com/blang/semver"
)

const tool = "pulumi-iam-login-profile sdkgen"

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sdkgen SCHEMA OUT_DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, outDir string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("reading %s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	generators := map[string]func() (map[string][]byte, error){
		"python": func() (map[string][]byte, error) { return python.GeneratePackage(tool, pkg, nil, noReferences{}) },
		"go":     func() (map[string][]byte, error) { return gogen.GeneratePackage(tool, pkg, nil) },
		"nodejs": func() (map[string][]byte, error) {
			return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noReferences{})
		},
	}
	for language, generate := range generators {
		files, err := generate()
		if err != nil {
			return fmt.Errorf("%s: %w", language, err)
		}
		root := filepath.Join(outDir, language)
		if err := os.RemoveAll(root); err != nil {
			return err
		}
		for name, content := range files {
			path := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, content, 0o644); err != nil {
				return err
			}
		}
		fmt.Printf("sdkgen: %s: %d files in %s\n", language, len(files), root)
	}
	return nil
}

// noReferences is the schema loader for a package that refers to no other package: any lookup
// is an error that names the package asked for.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; it should refer to none", pkg)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; it should refer to none", d.Name)
}

func (noReferences) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q; it should refer to none", pkg)
}

func (noReferences) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q; it should refer to none", d.Name)
}
