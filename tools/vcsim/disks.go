package main

// Virtual disk calls a real vCenter answers and simulator.VPX does not:
// ExtendVirtualDisk_Task, and CopyVirtualDisk_Task with a destination spec
// (the conversion of a sparse or stream-optimized upload into a flat disk),
// and a copy of a linked clone's delta disk that holds the data under it.
// The simulator never reads disk contents, so a conversion keeps the bytes
// and only lays the result out as vCenter would: a descriptor <name>.vmdk and
// its extent <name>-flat.vmdk.

import (
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// diskManager embeds the simulator's by value: the property collector looks
// for the managed object type in the first field of a wrapper.
type diskManager struct {
	simulator.VirtualDiskManager
}

var (
	dsPathRe = regexp.MustCompile(`^\[([^\]]+)\]\s*(.*)$`)
	// Linked clones: the parent disk of each delta disk VMs were given, so
	// that a copy of a delta holds its parent's data, as vCenter's would.
	parentsMu sync.Mutex
	parents   = map[string]string{}
)

// recordParents notes the parent of every disk backing in a reconfigure or
// create request (the simulator itself keeps no disk chains).
func recordParents(body []byte) {
	text := string(body)
	for {
		i := strings.Index(text, "<parent")
		if i < 0 {
			return
		}
		child := lastElement(text[:i], "fileName")
		rest := text[i:]
		parent := firstElement(rest, "fileName")
		if child != "" && parent != "" {
			parentsMu.Lock()
			parents[child] = parent
			parentsMu.Unlock()
		}
		text = rest[len("<parent"):]
	}
}

func lastElement(text, name string) string {
	i := strings.LastIndex(text, "<"+name+">")
	if i < 0 {
		return ""
	}
	return elementValue(text[i+len(name)+2:], name)
}

func firstElement(text, name string) string {
	i := strings.Index(text, "<"+name+">")
	if i < 0 {
		return ""
	}
	return elementValue(text[i+len(name)+2:], name)
}

func elementValue(text, name string) string {
	if j := strings.Index(text, "</"+name+">"); j >= 0 {
		return html.UnescapeString(text[:j])
	}
	return ""
}

// dataExtent is the file holding the data a copy of disk `name` gets: its own
// extent, or for a delta nothing was written to, its parent's.
func dataExtent(name string) (string, types.BaseMethodFault) {
	for depth := 0; depth < 32; depth++ {
		p, fault := localPath(name)
		if fault != nil {
			return "", fault
		}
		extent := flatName(p)
		if _, err := os.Stat(extent); err != nil {
			extent = p // a monolithic sparse or stream-optimized file
		}
		info, err := os.Stat(extent)
		if err != nil {
			return "", &types.FileNotFound{FileFault: types.FileFault{File: name}}
		}
		parentsMu.Lock()
		parent, ok := parents[name]
		parentsMu.Unlock()
		if info.Size() > 0 || !ok {
			return extent, nil
		}
		name = parent
	}
	return "", &types.InvalidArgument{InvalidProperty: "parent"}
}

// localPath maps "[datastore] dir/file.vmdk" to the file under the datastore's directory.
func localPath(name string) (string, types.BaseMethodFault) {
	m := dsPathRe.FindStringSubmatch(name)
	if m == nil {
		return "", &types.InvalidDatastorePath{DatastorePath: name}
	}
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		if ds.Name == m[1] {
			return filepath.Join(ds.Info.GetDatastoreInfo().Url, m[2]), nil
		}
	}
	return "", &types.InvalidDatastore{Name: m[1]}
}

func flatName(p string) string {
	return strings.TrimSuffix(p, ".vmdk") + "-flat.vmdk"
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err = io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func (m *diskManager) convert(req *types.CopyVirtualDisk_Task) types.BaseMethodFault {
	extent, fault := dataExtent(req.SourceName)
	if fault != nil {
		return fault
	}
	dst, fault := localPath(req.DestName)
	if fault != nil {
		return fault
	}
	if _, err := os.Stat(dst); err == nil && (req.Force == nil || !*req.Force) {
		return &types.FileAlreadyExists{FileFault: types.FileFault{File: req.DestName}}
	}
	if err := copyFile(extent, flatName(dst)); err != nil {
		return &types.CannotCreateFile{FileFault: types.FileFault{File: req.DestName}}
	}
	info, _ := os.Stat(flatName(dst))
	descriptor := fmt.Sprintf("# Disk DescriptorFile\nversion=1\ncreateType=\"vmfs\"\n"+
		"RW %d VMFS \"%s\"\n", info.Size()/512, filepath.Base(flatName(dst)))
	if err := os.WriteFile(dst, []byte(descriptor), 0600); err != nil {
		return &types.CannotCreateFile{FileFault: types.FileFault{File: req.DestName}}
	}
	return nil
}

func (m *diskManager) CopyVirtualDiskTask(ctx *simulator.Context, req *types.CopyVirtualDisk_Task) soap.HasFault {
	parentsMu.Lock()
	_, delta := parents[req.SourceName]
	parentsMu.Unlock()
	if req.DestSpec == nil && !delta {
		if src, fault := localPath(req.SourceName); fault == nil {
			if _, err := os.Stat(flatName(src)); err == nil {
				return m.VirtualDiskManager.CopyVirtualDiskTask(ctx, req)
			}
		}
	}
	task := simulator.CreateTask(m, "copyVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		return nil, m.convert(req)
	})
	return &methods.CopyVirtualDisk_TaskBody{
		Res: &types.CopyVirtualDisk_TaskResponse{Returnval: task.Run()},
	}
}

func (m *diskManager) ExtendVirtualDiskTask(ctx *simulator.Context, req *types.ExtendVirtualDisk_Task) soap.HasFault {
	task := simulator.CreateTask(m, "extendVirtualDisk", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		p, fault := localPath(req.Name)
		if fault != nil {
			return nil, fault
		}
		extent := flatName(p)
		info, err := os.Stat(extent)
		if err != nil {
			return nil, &types.FileNotFound{FileFault: types.FileFault{File: req.Name}}
		}
		size := req.NewCapacityKb * 1024
		if size < info.Size() {
			return nil, &types.InvalidArgument{InvalidProperty: "newCapacityKb"}
		}
		if err := os.Truncate(extent, size); err != nil {
			return nil, &types.FileFault{File: req.Name}
		}
		return nil, nil
	})
	return &methods.ExtendVirtualDisk_TaskBody{
		Res: &types.ExtendVirtualDisk_TaskResponse{Returnval: task.Run()},
	}
}

func installDiskManager() {
	vdm := simulator.Map.VirtualDiskManager().(*simulator.VirtualDiskManager)
	simulator.Map.Put(&diskManager{*vdm})
}
