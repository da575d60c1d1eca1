// starlark-check runs a Tiltfile the way Tilt would, without a cluster: the real Starlark
// interpreter (go.starlark.net) with Tilt's dialect, real load() of local files, and stubs for
// Tilt's builtins that check argument names against Tilt's API and record every call.
// helm() runs the real `helm template`; read_file() and decode_yaml_stream() are real.
//
//	starlark-check [-helm /path/to/helm] Tiltfile > report.json
//
// It exits non-zero with the Starlark error (file:line) on a syntax error, an unknown name, a
// wrong keyword argument or a failing helm template; otherwise it prints a JSON report:
// {"files": [...loaded files], "calls": [{"fn", "pos", "args", "kwargs"}], "helm": [{"args", "output"}]}.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
	"gopkg.in/yaml.v3"
)

// Tilt's Starlark dialect: top-level if/for, reassigned globals, sets, recursion.
var fileOptions = &syntax.FileOptions{Set: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}

type call struct {
	Fn     string                 `json:"fn"`
	Pos    string                 `json:"pos"`
	Args   []interface{}          `json:"args"`
	Kwargs map[string]interface{} `json:"kwargs"`
}

type helmRun struct {
	Args   []string `json:"args"`
	Output string   `json:"output"`
}

type report struct {
	Files []string  `json:"files"`
	Calls []call    `json:"calls"`
	Helm  []helmRun `json:"helm"`
}

type checker struct {
	root    string // the Tiltfile's folder: relative paths resolve here, as in Tilt
	helmBin string
	report  report
	modules map[string]starlark.StringDict
}

// Parameter lists from Tilt's API reference (internal/tiltfile/api/__init__.py) and the
// helm_resource extension; a name ending in "?" is optional. Only these keywords are accepted.
var tiltAPI = map[string][]string{
	"docker_build": {"ref", "context", "build_args?", "dockerfile?", "dockerfile_contents?", "live_update?",
		"match_in_env_vars?", "ignore?", "only?", "entrypoint?", "target?", "ssh?", "network?", "secret?",
		"extra_tag?", "container_args?", "cache_from?", "pull?", "platform?", "extra_hosts?"},
	"k8s_yaml": {"yaml", "allow_duplicates?"},
	"k8s_resource": {"workload?", "new_name?", "port_forwards?", "extra_pod_selectors?", "trigger_mode?",
		"resource_deps?", "objects?", "auto_init?", "pod_readiness?", "links?", "labels?", "discovery_strategy?"},
	"local_resource": {"name", "cmd", "deps?", "trigger_mode?", "resource_deps?", "ignore?", "auto_init?",
		"serve_cmd?", "cmd_bat?", "serve_cmd_bat?", "allow_parallel?", "links?", "labels?", "env?", "serve_env?",
		"readiness_probe?", "dir?", "serve_dir?"},
	"k8s_kind":           {"kind", "api_version?", "image_json_path?", "image_object?", "pod_readiness?"},
	"allow_k8s_contexts": {"contexts"},
	"update_settings":    {"max_parallel_updates?", "k8s_upsert_timeout_secs?", "suppress_unused_image_warnings?"},
	"watch_file":         {"file_path"},
	"sync":               {"local_path", "remote_path"},
	"run":                {"cmd", "trigger?", "echo_off?"},
	"fall_back_on":       {"files"},
	"port_forward":       {"local_port", "container_port?", "name?", "link_path?", "host?"},
	"link":               {"url", "name?"},
	"local":              {"command", "quiet?", "command_bat?", "echo_off?", "env?", "dir?", "stdin?"},
	"helm_resource": {"name", "chart", "deps?", "release_name?", "namespace?", "image_deps?", "image_keys?",
		"flags?", "image_selector?", "container_selector?", "live_update?", "resource_deps?", "labels?",
		"port_forwards?", "auto_init?", "pod_readiness?", "update_dependencies?"},
}

// helm_repo(name, url, resource_name=”, username=”, password=”, **kwargs) passes kwargs to local_resource.
var helmRepoParams = []string{"name", "url", "resource_name?", "username?", "password?"}

func main() {
	helmBin := flag.String("helm", envOr("HELM_BIN", "helm"), "helm binary used for helm()")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: starlark-check [-helm helm] Tiltfile")
		os.Exit(2)
	}
	tiltfile, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	c := &checker{root: filepath.Dir(tiltfile), helmBin: *helmBin, modules: map[string]starlark.StringDict{}}
	if _, err := c.exec(tiltfile); err != nil {
		fail(err)
	}
	out, err := json.MarshalIndent(c.report, "", "  ")
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

func fail(err error) {
	if evalErr, ok := err.(*starlark.EvalError); ok {
		fmt.Fprintln(os.Stderr, evalErr.Backtrace())
	} else {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(1)
}

func (c *checker) exec(path string) (starlark.StringDict, error) {
	if globals, ok := c.modules[path]; ok {
		return globals, nil
	}
	rel, _ := filepath.Rel(c.root, path)
	c.report.Files = append(c.report.Files, filepath.ToSlash(rel))
	thread := &starlark.Thread{Name: rel, Load: c.load, Print: func(_ *starlark.Thread, msg string) {
		fmt.Fprintln(os.Stderr, msg)
	}}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	globals, err := starlark.ExecFileOptions(fileOptions, thread, rel, src, c.predeclared())
	if err != nil {
		return nil, err
	}
	c.modules[path] = globals
	return globals, nil
}

// load resolves `ext://helm_resource` to the stubbed extension and other paths relative to the
// Tiltfile's folder (Tilt resolves them relative to the loading file; ours all live at the root).
func (c *checker) load(thread *starlark.Thread, module string) (starlark.StringDict, error) {
	if module == "ext://helm_resource" {
		return starlark.StringDict{
			"helm_resource": c.stub("helm_resource", tiltAPI["helm_resource"], false),
			"helm_repo":     c.stub("helm_repo", helmRepoParams, true),
		}, nil
	}
	if strings.HasPrefix(module, "ext://") {
		return nil, fmt.Errorf("extension %s is not known to starlark-check", module)
	}
	return c.exec(filepath.Join(c.root, filepath.FromSlash(module)))
}

func (c *checker) predeclared() starlark.StringDict {
	names := []string{"docker_build", "k8s_yaml", "k8s_resource", "local_resource", "k8s_kind",
		"allow_k8s_contexts", "update_settings", "watch_file", "sync", "run", "fall_back_on",
		"port_forward", "link", "local"}
	env := starlark.StringDict{
		"helm":                starlark.NewBuiltin("helm", c.helm),
		"read_file":           starlark.NewBuiltin("read_file", c.readFile),
		"decode_yaml_stream":  starlark.NewBuiltin("decode_yaml_stream", decodeYAMLStream),
		"encode_yaml_stream":  starlark.NewBuiltin("encode_yaml_stream", encodeYAMLStream),
		"k8s_context":         starlark.NewBuiltin("k8s_context", constant(starlark.String("kind-cartwheel"))),
		"TRIGGER_MODE_AUTO":   starlark.String("TRIGGER_MODE_AUTO"),
		"TRIGGER_MODE_MANUAL": starlark.String("TRIGGER_MODE_MANUAL"),
		"config": starlarkstruct.FromStringDict(starlark.String("config"), starlark.StringDict{
			"define_bool":        c.stub("config.define_bool", []string{"name", "args?", "usage?"}, false),
			"define_string":      c.stub("config.define_string", []string{"name", "args?", "usage?"}, false),
			"define_string_list": c.stub("config.define_string_list", []string{"name", "args?", "usage?"}, false),
			// No flags given: every setting keeps its default.
			"parse": starlark.NewBuiltin("config.parse", constant(starlark.NewDict(0))),
		}),
		"os": starlarkstruct.FromStringDict(starlark.String("os"), starlark.StringDict{
			"getenv": starlark.NewBuiltin("os.getenv", getenv),
			"path": starlarkstruct.FromStringDict(starlark.String("os.path"), starlark.StringDict{
				"exists": starlark.NewBuiltin("os.path.exists", c.exists),
				"join":   starlark.NewBuiltin("os.path.join", join),
			}),
		}),
	}
	for _, name := range names {
		env[name] = c.stub(name, tiltAPI[name], false)
	}
	return env
}

func constant(value starlark.Value) func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
		return value, nil
	}
}

// stub checks the call against the parameter list, records it and returns a struct describing it
// (live-update steps and port forwards are values in Tilt too).
func (c *checker) stub(name string, params []string, extraKwargs bool) *starlark.Builtin {
	return starlark.NewBuiltin(name, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		named := kwargs
		if extraKwargs {
			named = nil
			for _, kv := range kwargs {
				if contains(params, string(kv[0].(starlark.String))) {
					named = append(named, kv)
				}
			}
		}
		pairs := make([]interface{}, 0, 2*len(params))
		values := make([]starlark.Value, len(params))
		for i, p := range params {
			pairs = append(pairs, p, &values[i])
		}
		if err := starlark.UnpackArgs(name, args, named, pairs...); err != nil {
			return nil, err
		}
		rec := call{Fn: name, Pos: thread.CallFrame(1).Pos.String(), Kwargs: map[string]interface{}{}}
		for _, a := range args {
			rec.Args = append(rec.Args, toJSON(a))
		}
		for _, kv := range kwargs {
			rec.Kwargs[string(kv[0].(starlark.String))] = toJSON(kv[1])
		}
		c.report.Calls = append(c.report.Calls, rec)
		fields := starlark.StringDict{"fn": starlark.String(name)}
		for i, p := range params {
			if values[i] != nil {
				fields[strings.TrimSuffix(p, "?")] = values[i]
			}
		}
		return starlarkstruct.FromStringDict(starlark.String(name), fields), nil
	})
}

func contains(params []string, name string) bool {
	for _, p := range params {
		if strings.TrimSuffix(p, "?") == name {
			return true
		}
	}
	return false
}

// helm renders the chart with the real helm binary, as Tilt's helm() does (helm template).
func (c *checker) helm(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var chart, name, namespace, kubeVersion string
	var values, set starlark.Value = starlark.NewList(nil), starlark.NewList(nil)
	var skipCRDs bool
	if err := starlark.UnpackArgs("helm", args, kwargs, "pathToChartDir", &chart, "name?", &name,
		"namespace?", &namespace, "values?", &values, "set?", &set, "kube_version?", &kubeVersion,
		"skip_crds?", &skipCRDs); err != nil {
		return nil, err
	}
	argv := []string{"template"}
	if name != "" {
		argv = append(argv, name)
	}
	argv = append(argv, filepath.Join(c.root, chart))
	if namespace != "" {
		argv = append(argv, "--namespace", namespace)
	}
	for _, v := range stringList(values) {
		argv = append(argv, "--values", filepath.Join(c.root, v))
	}
	for _, s := range stringList(set) {
		argv = append(argv, "--set", s)
	}
	if kubeVersion != "" {
		argv = append(argv, "--kube-version", kubeVersion)
	}
	if skipCRDs {
		argv = append(argv, "--skip-crds")
	}
	cmd := exec.Command(c.helmBin, argv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("helm %s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	c.report.Helm = append(c.report.Helm, helmRun{Args: argv, Output: stdout.String()})
	c.report.Calls = append(c.report.Calls, call{Fn: "helm", Pos: thread.CallFrame(1).Pos.String(),
		Args: []interface{}{chart}, Kwargs: map[string]interface{}{"name": name, "namespace": namespace,
			"values": toJSON(values), "set": toJSON(set)}})
	return starlark.String(stdout.String()), nil
}

func stringList(v starlark.Value) []string {
	if s, ok := v.(starlark.String); ok {
		return []string{string(s)}
	}
	var out []string
	if iterable, ok := v.(starlark.Iterable); ok {
		it := iterable.Iterate()
		defer it.Done()
		var item starlark.Value
		for it.Next(&item) {
			if s, ok := item.(starlark.String); ok {
				out = append(out, string(s))
			}
		}
	}
	return out
}

func (c *checker) readFile(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path string
	var def starlark.Value = starlark.None
	if err := starlark.UnpackArgs("read_file", args, kwargs, "file_path", &path, "default?", &def); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(c.root, path))
	if err != nil {
		if def != starlark.None {
			return def, nil
		}
		return nil, err
	}
	c.report.Calls = append(c.report.Calls, call{Fn: "read_file", Pos: thread.CallFrame(1).Pos.String(),
		Args: []interface{}{path}, Kwargs: map[string]interface{}{}})
	return starlark.String(data), nil
}

func (c *checker) exists(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path string
	if err := starlark.UnpackArgs("os.path.exists", args, kwargs, "path", &path); err != nil {
		return nil, err
	}
	_, err := os.Stat(filepath.Join(c.root, path))
	return starlark.Bool(err == nil), nil
}

func join(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		s, ok := a.(starlark.String)
		if !ok {
			return nil, fmt.Errorf("os.path.join: want strings, got %s", a.Type())
		}
		parts = append(parts, string(s))
	}
	return starlark.String(filepath.ToSlash(filepath.Join(parts...))), nil
}

// getenv returns the default: the check is hermetic, whatever the caller's environment holds.
func getenv(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var key string
	var def starlark.Value = starlark.None
	if err := starlark.UnpackArgs("os.getenv", args, kwargs, "key", &key, "default?", &def); err != nil {
		return nil, err
	}
	return def, nil
}

func decodeYAMLStream(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var text string
	if err := starlark.UnpackArgs("decode_yaml_stream", args, kwargs, "yaml", &text); err != nil {
		return nil, err
	}
	decoder := yaml.NewDecoder(strings.NewReader(text))
	var docs []starlark.Value
	for {
		var doc interface{}
		if err := decoder.Decode(&doc); err != nil {
			if err.Error() == "EOF" {
				break
			}
			return nil, fmt.Errorf("decode_yaml_stream: %v", err)
		}
		if doc != nil {
			docs = append(docs, fromGo(doc))
		}
	}
	return starlark.NewList(docs), nil
}

func encodeYAMLStream(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var objs *starlark.List
	if err := starlark.UnpackArgs("encode_yaml_stream", args, kwargs, "objs", &objs); err != nil {
		return nil, err
	}
	var parts []string
	for _, obj := range listJSON(objs) {
		out, err := yaml.Marshal(obj)
		if err != nil {
			return nil, fmt.Errorf("encode_yaml_stream: %v", err)
		}
		parts = append(parts, string(out))
	}
	return starlark.String(strings.Join(parts, "---\n")), nil
}

func fromGo(v interface{}) starlark.Value {
	switch x := v.(type) {
	case map[string]interface{}:
		d := starlark.NewDict(len(x))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			_ = d.SetKey(starlark.String(k), fromGo(x[k]))
		}
		return d
	case []interface{}:
		items := make([]starlark.Value, len(x))
		for i, item := range x {
			items[i] = fromGo(item)
		}
		return starlark.NewList(items)
	case string:
		return starlark.String(x)
	case bool:
		return starlark.Bool(x)
	case int:
		return starlark.MakeInt(x)
	case float64:
		return starlark.Float(x)
	case nil:
		return starlark.None
	default:
		return starlark.String(fmt.Sprint(x))
	}
}

// toJSON turns a Starlark value into something encoding/json can print.
func toJSON(v starlark.Value) interface{} {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil
	case starlark.Bool:
		return bool(x)
	case starlark.Int:
		i, _ := x.Int64()
		return i
	case starlark.Float:
		return float64(x)
	case starlark.String:
		return string(x)
	case *starlark.List:
		return listJSON(x)
	case starlark.Tuple:
		return listJSON(x)
	case *starlark.Dict:
		out := map[string]interface{}{}
		for _, item := range x.Items() {
			out[fmt.Sprint(toJSON(item[0]))] = toJSON(item[1])
		}
		return out
	case *starlarkstruct.Struct:
		out := map[string]interface{}{}
		for _, name := range x.AttrNames() {
			value, _ := x.Attr(name)
			out[name] = toJSON(value)
		}
		return out
	default:
		return v.String()
	}
}

func listJSON(iterable starlark.Iterable) []interface{} {
	out := []interface{}{}
	it := iterable.Iterate()
	defer it.Done()
	var item starlark.Value
	for it.Next(&item) {
		out = append(out, toJSON(item))
	}
	return out
}
