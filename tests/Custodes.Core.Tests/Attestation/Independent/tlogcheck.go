// tlogcheck verifies what Custodes wrote with Go's own golang.org/x/mod/sumdb/{note,tlog}, an implementation
// written independently of ours, and writes a few things for Custodes to verify in turn.
//
// Usage: tlogcheck <case.json>   (built in GOPATH mode: GO111MODULE=off GOPATH=<dir>:/usr/share/gocode)
//
// It prints one JSON object: {"checks": {"<name>": "ok" | "<error>"}, "go": {...values for the C# side...}}
// and exits 0 when every check is "ok".
package main

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type proofCase struct {
	Size  int64    `json:"size"`
	Index int64    `json:"index"`
	Entry []byte   `json:"entry"`
	Proof []string `json:"proof"`
}

type consistencyCase struct {
	OldSize int64    `json:"old_size"`
	OldRoot string   `json:"old_root"`
	Proof   []string `json:"proof"`
}

type input struct {
	VerifierKey  string            `json:"verifier_key"`
	Checkpoint   string            `json:"checkpoint"`
	Inclusion    []proofCase       `json:"inclusion"`
	Consistency  []consistencyCase `json:"consistency"`
	TileDir      string            `json:"tile_dir"`
	ProveIndexes []int64           `json:"prove_indexes"`
}

type output struct {
	Checks map[string]string `json:"checks"`
	Go     map[string]any    `json:"go"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tlogcheck <case.json>")
		os.Exit(2)
	}
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
	out := output{Checks: map[string]string{}, Go: map[string]any{}}
	check := func(name string, err error) {
		if err != nil {
			out.Checks[name] = err.Error()
		} else {
			out.Checks[name] = "ok"
		}
	}

	// The checkpoint: a signed note that Go's note package opens with our verifier key string.
	verifier, err := note.NewVerifier(in.VerifierKey)
	check("verifier_key", err)
	var tree tlog.Tree
	if err == nil {
		n, err := note.Open([]byte(in.Checkpoint), note.VerifierList(verifier))
		check("checkpoint_signature", err)
		if err == nil {
			tree, err = parseCheckpoint(n.Text, verifier.Name())
			check("checkpoint_body", err)
		}
	}
	// A changed checkpoint must not open.
	_, err = note.Open([]byte(strings.Replace(in.Checkpoint, "\n", "\n1", 1)), note.VerifierList(verifier))
	check("changed_checkpoint_rejected", expectError(err))

	// Inclusion proofs against the checkpoint's tree, and the same proofs tampered.
	for i, c := range in.Inclusion {
		proof, err := hashes(c.Proof)
		if err != nil {
			check(fmt.Sprintf("inclusion_%d", i), err)
			continue
		}
		leaf := tlog.RecordHash(c.Entry)
		check(fmt.Sprintf("inclusion_%d", i), tlog.CheckRecord(proof, c.Size, tree.Hash, c.Index, leaf))
		if len(proof) > 0 {
			bad := append(tlog.RecordProof(nil), proof...)
			bad[len(bad)-1][0] ^= 1
			check(fmt.Sprintf("inclusion_%d_tampered_rejected", i), expectError(tlog.CheckRecord(bad, c.Size, tree.Hash, c.Index, leaf)))
			check(fmt.Sprintf("inclusion_%d_truncated_rejected", i), expectError(tlog.CheckRecord(proof[:len(proof)-1], c.Size, tree.Hash, c.Index, leaf)))
		}
	}

	// Consistency proofs from older trees to the checkpoint's tree.
	for i, c := range in.Consistency {
		proof, err1 := hashes(c.Proof)
		old, err2 := tlog.ParseHash(c.OldRoot)
		if err1 != nil || err2 != nil {
			check(fmt.Sprintf("consistency_%d", i), errors.New("malformed case"))
			continue
		}
		check(fmt.Sprintf("consistency_%d", i), tlog.CheckTree(proof, tree.N, tree.Hash, c.OldSize, old))
		if len(proof) > 0 {
			bad := append(tlog.TreeProof(nil), proof...)
			bad[0][5] ^= 1
			check(fmt.Sprintf("consistency_%d_tampered_rejected", i), expectError(tlog.CheckTree(bad, tree.N, tree.Hash, c.OldSize, old)))
		}
	}

	// Our tiles and entry bundles, read through Go's TileHashReader (which checks them against the tree hash).
	if in.TileDir != "" {
		reader := tlog.TileHashReader(tree, &tileDir{dir: in.TileDir})
		th, err := tlog.TreeHash(tree.N, reader)
		if err == nil && th != tree.Hash {
			err = errors.New("tree hash from tiles differs")
		}
		check("tiles_tree_hash", err)
		proofs := map[string][]string{}
		for _, idx := range in.ProveIndexes {
			p, err := tlog.ProveRecord(tree.N, idx, reader)
			check(fmt.Sprintf("tiles_prove_%d", idx), err)
			proofs[strconv.FormatInt(idx, 10)] = strings64(p)
		}
		out.Go["proofs_from_tiles"] = proofs
		if len(in.Consistency) > 0 {
			p, err := tlog.ProveTree(tree.N, in.Consistency[0].OldSize, reader)
			check("tiles_prove_tree", err)
			out.Go["consistency_from_tiles"] = strings64(p)
		}
		check("entry_bundles", checkBundles(in.TileDir, tree.N, reader))
	}

	// A checkpoint signed by Go, for our side to open with Go's verifier key.
	skey, vkey, err := note.GenerateKey(rand.Reader, "go.example/log")
	check("go_key", err)
	if err == nil {
		signer, _ := note.NewSigner(skey)
		msg, err := note.Sign(&note.Note{Text: fmt.Sprintf("go.example/log\n%d\n%s\n", tree.N, tree.Hash)}, signer)
		check("go_sign", err)
		out.Go["verifier_key"] = vkey
		out.Go["checkpoint"] = string(msg)
	}

	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(out)
	for _, v := range out.Checks {
		if v != "ok" {
			os.Exit(1)
		}
	}
}

// parseCheckpoint reads a C2SP tlog-checkpoint body: origin, size, base64 root hash, optional extension lines.
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

func hashes(s []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(s))
	for i, x := range s {
		h, err := tlog.ParseHash(x)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

func strings64(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}

func expectError(err error) error {
	if err == nil {
		return errors.New("accepted, want rejected")
	}
	return nil
}

// tileDir serves tiles from files at their C2SP paths (tile/<L>/<N>[.p/<W>]); Go's paths carry the height too.
type tileDir struct{ dir string }

func (t *tileDir) Height() int { return 8 }

func (t *tileDir) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, tile := range tiles {
		data, err := os.ReadFile(filepath.Join(t.dir, c2spPath(tile)))
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

func (t *tileDir) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func c2spPath(tile tlog.Tile) string {
	p := strings.TrimPrefix(tile.Path(), "tile/8/")
	return "tile/" + strings.Replace(p, "data/", "entries/", 1)
}

// checkBundles reads every entry bundle of the tree and checks each entry hashes to the leaf hash Go reads from the tiles.
func checkBundles(dir string, size int64, reader tlog.HashReader) error {
	for n := int64(0); n*256 < size; n++ {
		w := size - n*256
		if w > 256 {
			w = 256
		}
		tile := tlog.Tile{H: 8, L: -1, N: n, W: int(w)}
		data, err := os.ReadFile(filepath.Join(dir, c2spPath(tile)))
		if err != nil {
			return err
		}
		var indexes []int64
		for i := int64(0); i < w; i++ {
			indexes = append(indexes, tlog.StoredHashIndex(0, n*256+i))
		}
		leaves, err := reader.ReadHashes(indexes)
		if err != nil {
			return err
		}
		for i := int64(0); i < w; i++ {
			if len(data) < 2 {
				return fmt.Errorf("bundle %d ends before entry %d", n, i)
			}
			l := int(binary.BigEndian.Uint16(data))
			if len(data) < 2+l {
				return fmt.Errorf("bundle %d entry %d is cut short", n, i)
			}
			if tlog.RecordHash(data[2:2+l]) != leaves[i] {
				return fmt.Errorf("bundle %d entry %d does not hash to its leaf", n, i)
			}
			data = data[2+l:]
		}
		if len(data) != 0 {
			return fmt.Errorf("bundle %d has %d bytes left over", n, len(data))
		}
	}
	return nil
}

