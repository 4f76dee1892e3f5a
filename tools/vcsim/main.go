// nova-vcsim: govmomi's vCenter simulator (simulator.VPX) served over https
// (a self-signed certificate, cert.go) on one address, for the VMware driver's
// tests and the all-in-one.
//
// Besides the vSphere API (/sdk) and datastore file access (/folder), it
// answers the virtual disk calls the simulator lacks (disks.go), and
// serves /nova-vcsim/fault and /nova-vcsim/delay so that tests can make the
// next calls of a SOAP method return a failed task, or take longer, the way a
// real vCenter sometimes does.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"sync"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// plannedFault is what the next `count` calls of one method answer.
type plannedFault struct {
	kind    string
	message string
	count   int
}

var (
	faultsMu sync.Mutex
	faults   = map[string]*plannedFault{}
	// The first element inside the SOAP body names the method and its `this`.
	methodRe = regexp.MustCompile(`(?s)<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)[^>]*>\s*<(?:\w+:)?_this[^>]*type="(\w+)"[^>]*>([^<]+)<`)
)

func methodFault(kind, message string) types.BaseMethodFault {
	switch kind {
	case "GenericVmConfigFault":
		return &types.GenericVmConfigFault{Reason: message}
	case "InsufficientResourcesFault":
		return &types.InsufficientResourcesFault{}
	case "NoDiskSpace":
		return &types.NoDiskSpace{Datastore: message}
	case "InvalidPowerState":
		return &types.InvalidPowerState{}
	default:
		return &types.SystemError{Reason: message}
	}
}

// takeFault returns the planned fault of method, using one of its calls.
func takeFault(method string) *plannedFault {
	faultsMu.Lock()
	defer faultsMu.Unlock()
	f := faults[method]
	if f == nil {
		return nil
	}
	f.count--
	if f.count <= 0 {
		delete(faults, method)
	}
	return f
}

const taskResponse = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><%sResponse xmlns="urn:vim25"><returnval type="Task">%s</returnval></%sResponse></soapenv:Body></soapenv:Envelope>`

// withFaults answers a call that has a planned fault with a task that failed.
func withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := ioutil.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		r.Body = ioutil.NopCloser(bytes.NewReader(body))
		m := methodRe.FindSubmatch(body)
		if m == nil {
			next.ServeHTTP(w, r)
			return
		}
		method := string(m[1])
		if method == "ReconfigVM_Task" || method == "CreateVM_Task" {
			recordParents(body)
		}
		f := takeFault(method)
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		this := types.ManagedObjectReference{Type: string(m[2]), Value: string(m[3])}
		fault := methodFault(f.kind, f.message)
		task := simulator.CreateTask(this, method, func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
			return nil, fault
		})
		ref := task.Run()
		simulator.Map.Update(task, []types.PropertyChange{{Name: "info.error", Val: types.LocalizedMethodFault{
			Fault: fault, LocalizedMessage: f.message}}})
		log.Printf("injected %s into %s on %s: %s", f.kind, method, this.Value, f.message)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fmt.Fprintf(w, taskResponse, method, ref.Value, method)
	})
}

// POST /nova-vcsim/fault method=X&kind=SystemError&message=...&count=1
func serveFault(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Form.Get("method") == "" {
		http.Error(w, "method is required", http.StatusBadRequest)
		return
	}
	count, err := strconv.Atoi(r.Form.Get("count"))
	if err != nil || count < 1 {
		count = 1
	}
	f := &plannedFault{kind: r.Form.Get("kind"), message: r.Form.Get("message"), count: count}
	if f.message == "" {
		f.message = "injected fault"
	}
	faultsMu.Lock()
	faults[r.Form.Get("method")] = f
	faultsMu.Unlock()
	fmt.Fprintln(w, "ok")
}

// POST /nova-vcsim/delay method=X&ms=N (ms=0 removes the delay)
func serveDelay(model *simulator.Model) http.HandlerFunc {
	var mu sync.Mutex
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.Form.Get("method") == "" {
			http.Error(w, "method is required", http.StatusBadRequest)
			return
		}
		ms, _ := strconv.Atoi(r.Form.Get("ms"))
		mu.Lock()
		delays := map[string]int{}
		for k, v := range model.DelayConfig.MethodDelay {
			delays[k] = v
		}
		if ms > 0 {
			delays[r.Form.Get("method")] = ms
		} else {
			delete(delays, r.Form.Get("method"))
		}
		model.DelayConfig.MethodDelay = delays // a new map: readers never see one change
		mu.Unlock()
		fmt.Fprintln(w, "ok")
	}
}

func main() {
	listen := flag.String("listen", "127.0.0.1:8989", "address to serve on")
	hosts := flag.Int("hosts", 3, "ESXi hosts in the cluster")
	datastores := flag.Int("datastores", 1, "datastores (directories under $TMPDIR)")
	certFile := flag.String("cert-file", "", "write the server's TLS certificate (PEM) here")
	flag.Parse()

	model := simulator.VPX()
	model.Machine = 0 // no pre-made VMs: the cluster starts empty
	model.ClusterHost = *hosts
	model.Datastore = *datastores
	if err := model.Create(); err != nil {
		log.Fatal(err)
	}
	installDiskManager()
	model.Service.Listen = &url.URL{Host: *listen}
	tlsConfig, certPEM, err := selfSigned()
	if err != nil {
		log.Fatal(err)
	}
	model.Service.TLS = tlsConfig // https, as vCenter
	model.Service.HandleFunc("/nova-vcsim/fault", serveFault)
	model.Service.HandleFunc("/nova-vcsim/delay", serveDelay(model))
	server := model.Service.NewServer()
	// The SOAP endpoints go through the fault planner.
	handler := server.Server.Config.Handler
	server.Server.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sdk" || r.URL.Path == "/sdk/vimService" {
			withFaults(handler).ServeHTTP(w, r)
			return
		}
		handler.ServeHTTP(w, r)
	})
	if *certFile != "" {
		if err := os.WriteFile(*certFile, certPEM, 0644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("nova-vcsim: serving %s\n", server.URL.String())
	os.Stdout.Sync()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	server.Close()
	model.Remove() // the datastore directories
}
