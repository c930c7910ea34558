// servedcheck verifies a Custodes log as it is SERVED over HTTP, with Go's own golang.org/x/mod/sumdb/{note,tlog}:
// it fetches /log/checkpoint and C2SP tiles from the server, verifies the checkpoint with the log's verifier key, and
// proves a letter's inclusion and the log's consistency with the letter's own checkpoint from the served tiles.
//
// Usage: servedcheck <case.json>   (built in GOPATH mode: GO111MODULE=off GOPATH=<dir>:/usr/share/gocode)
// Prints {"checks": {"<name>": "ok" | "<error>"}} and exits 0 when every check is "ok".
package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type input struct {
	BaseURL          string   `json:"base_url"`
	VerifierKey      string   `json:"verifier_key"`
	Entry            []byte   `json:"entry"`
	Index            int64    `json:"index"`
	Proof            []string `json:"proof"`
	LetterCheckpoint string   `json:"letter_checkpoint"`
}

var client = &http.Client{Timeout: 30 * time.Second}

func get(url string) ([]byte, string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", err
	}
	if resp.StatusCode != 200 {
		return nil, "", fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	return body, resp.Header.Get("Cache-Control"), nil
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var in input
	if err := json.Unmarshal(raw, &in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	checks := map[string]string{}
	check := func(name string, err error) {
		if err != nil {
			checks[name] = err.Error()
		} else {
			checks[name] = "ok"
		}
	}
	defer func() {
		out, _ := json.MarshalIndent(map[string]any{"checks": checks}, "", "  ")
		fmt.Println(string(out))
		for _, v := range checks {
			if v != "ok" {
				os.Exit(1)
			}
		}
	}()

	verifier, err := note.NewVerifier(in.VerifierKey)
	check("verifier_key", err)
	if err != nil {
		return
	}
	served, _, err := get(in.BaseURL + "/log/checkpoint")
	check("fetch_checkpoint", err)
	if err != nil {
		return
	}
	n, err := note.Open(served, note.VerifierList(verifier))
	check("served_checkpoint_signature", err)
	if err != nil {
		return
	}
	tree, err := parseCheckpoint(n.Text, verifier.Name())
	check("served_checkpoint_body", err)

	old, err := note.Open([]byte(in.LetterCheckpoint), note.VerifierList(verifier))
	check("letter_checkpoint_signature", err)
	if err != nil {
		return
	}
	oldTree, err := parseCheckpoint(old.Text, verifier.Name())
	check("letter_checkpoint_body", err)

	proof := make(tlog.RecordProof, len(in.Proof))
	for i, p := range in.Proof {
		proof[i], err = tlog.ParseHash(p)
		if err != nil {
			check("letter_proof_parse", err)
			return
		}
	}
	leaf := tlog.RecordHash(in.Entry)
	check("letter_inclusion_bundled", tlog.CheckRecord(proof, oldTree.N, oldTree.Hash, in.Index, leaf))

	reader := tlog.TileHashReader(tree, &httpTiles{base: in.BaseURL})
	th, err := tlog.TreeHash(tree.N, reader)
	if err == nil && th != tree.Hash {
		err = errors.New("the served tiles hash to another root")
	}
	check("served_tiles_tree_hash", err)

	p, err := tlog.ProveRecord(tree.N, in.Index, reader)
	if err == nil {
		err = tlog.CheckRecord(p, tree.N, tree.Hash, in.Index, leaf)
	}
	check("letter_inclusion_served", err)

	tp, err := tlog.ProveTree(tree.N, oldTree.N, reader)
	if err == nil {
		err = tlog.CheckTree(tp, tree.N, tree.Hash, oldTree.N, oldTree.Hash)
	}
	check("consistency_letter_checkpoint_to_served", err)

	// The served entry bundle holds the letter's entry at its index.
	tileN := in.Index / 256
	width := tree.N - tileN*256
	if width > 256 {
		width = 256
	}
	bundlePath := c2spPath(tlog.Tile{H: 8, L: -1, N: tileN, W: int(width)})
	data, _, err := get(in.BaseURL + "/log/" + bundlePath)
	if err == nil {
		err = findEntry(data, int(in.Index%256), in.Entry)
	}
	check("entry_bundle_holds_letter", err)

	// A changed checkpoint must not open.
	_, err = note.Open([]byte(strings.Replace(string(served), "\n", "\n1", 1)), note.VerifierList(verifier))
	if err == nil {
		check("changed_checkpoint_rejected", errors.New("accepted, want rejected"))
	} else {
		check("changed_checkpoint_rejected", nil)
	}
}

func findEntry(data []byte, at int, want []byte) error {
	for i := 0; ; i++ {
		if len(data) < 2 {
			return fmt.Errorf("bundle ends before entry %d", at)
		}
		l := int(binary.BigEndian.Uint16(data))
		if len(data) < 2+l {
			return fmt.Errorf("entry %d is cut short", i)
		}
		if i == at {
			if string(data[2:2+l]) != string(want) {
				return errors.New("the bundle's entry differs from the letter's")
			}
			return nil
		}
		data = data[2+l:]
	}
}

func parseCheckpoint(text, origin string) (tlog.Tree, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 || lines[0] != origin {
		return tlog.Tree{}, fmt.Errorf("checkpoint origin %q, want %q", lines[0], origin)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != lines[1] {
		return tlog.Tree{}, fmt.Errorf("bad tree size %q", lines[1])
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return tlog.Tree{}, err
	}
	return tlog.Tree{N: n, Hash: h}, nil
}

// httpTiles reads C2SP tiles from the server; full tiles must be served as immutable.
type httpTiles struct{ base string }

func (t *httpTiles) Height() int { return 8 }

func (t *httpTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, tile := range tiles {
		data, cache, err := get(t.base + "/log/" + c2spPath(tile))
		if err != nil {
			return nil, err
		}
		if tile.W == 256 && !strings.Contains(cache, "immutable") {
			return nil, fmt.Errorf("full tile %s served without immutable caching (%q)", c2spPath(tile), cache)
		}
		out[i] = data
	}
	return out, nil
}

func (t *httpTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func c2spPath(tile tlog.Tile) string {
	p := strings.TrimPrefix(tile.Path(), "tile/8/")
	return "tile/" + strings.Replace(p, "data/", "entries/", 1)
}
