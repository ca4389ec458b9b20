// Package tcbmock holds what the fake server and the conformance suite share:
// the embedded assets (openapi.yaml, the default scenarios and the feature
// files) and the loaded spec with its errcode tables.
//
// # The spec
//
// [LoadSpec] reads openapi.yaml: the document, a router for it and, for each
// operation, the errcodes it can answer ([Errcode]), read from the
// operation's x-errcodes extension. Nothing else in the project repeats that
// table.
//
// # Errors in files
//
// Problems in the spec or in a scenario file are [*FileError] values that
// print as "file:line: what is wrong"; several come as a [FileErrors].
package tcbmock

import (
	"embed"
	"io/fs"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

//go:embed openapi.yaml scenarios features
var assets embed.FS

// FS returns the embedded assets: openapi.yaml and the scenarios and features directories.
func FS() fs.FS { return assets }

// SpecFile is the name of the spec in [FS] and in a checkout.
const SpecFile = "openapi.yaml"

// FeatureDir is the name of the conformance suite's feature directory in [FS] and in a checkout.
const FeatureDir = "features"

// ScenarioDir is the name of the default scenario directory in [FS] and in a checkout.
const ScenarioDir = "scenarios"

// FileError is a problem in a file, at a line: it prints as "file:line: what is wrong".
type FileError = yamlfile.Error

// FileErrors gathers the problems found in one or more files, one per line.
type FileErrors = yamlfile.List
