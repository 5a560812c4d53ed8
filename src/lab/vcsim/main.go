// vcsim for the drbook lab: govmomi's vCenter simulator with the lab's datacenter, cluster, hosts
// and datastores, on 127.0.0.1 only. The lab (src/lab/vcenter.ts) then builds its folders, pools
// and VMs through the SOAP API, like any client would.
//
// Like a real vCenter, a RegisterVM_Task of a client registers the VM on its ESXi host first (the
// host's hostd says no when the .vmx is missing or already registered): the lab's hosts are
// simulated by the lab, so each such call is asked of the lab over stdout/stdin (one JSON line
// each way) before the simulator registers it. The lab's own calls (its sync agent) are not.
//
// Built at `drbook lab up --vcenter` time from Debian's golang-github-vmware-govmomi-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o vcsim main.go
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Layout is what the lab asks for: written by src/lab/vcenter.ts as JSON.
type Layout struct {
	Datacenter string            `json:"datacenter"`
	Cluster    string            `json:"cluster"`
	Hosts      []string          `json:"hosts"`
	Datastores map[string]string `json:"datastores"` // name -> real directory
	Folders    []string          `json:"folders"`    // under the datacenter's vm folder: "prod/web"
	Pools      []string          `json:"pools"`      // under the cluster's Resources: "prod/gold"
}

// movablePool adds MoveIntoResourcePool, which this simulator version lacks; real vCenter has it.
type movablePool struct {
	simulator.ResourcePool
}

func (p *movablePool) MoveIntoResourcePool(req *types.MoveIntoResourcePool) soap.HasFault {
	body := &methods.MoveIntoResourcePoolBody{}
	for _, ref := range req.List {
		vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
		if !ok {
			body.Fault_ = simulator.Fault("", &types.NotSupported{})
			return body
		}
		if vm.ResourcePool != nil && *vm.ResourcePool != p.Self {
			if old, ok := simulator.Map.Get(*vm.ResourcePool).(*movablePool); ok {
				simulator.Map.RemoveReference(old, &old.Vm, ref)
			}
		}
		// The simulator already holds this pool's lock while it runs the method.
		if simulator.FindReference(p.Vm, ref) == nil {
			p.Vm = append(p.Vm, ref)
		}
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "resourcePool", Val: p.Self}})
	}
	body.Res = &types.MoveIntoResourcePoolResponse{}
	return body
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address:port (loopback only)")
	certDir := flag.String("cert-dir", ".", "where cert.pem and key.pem are kept (made once)")
	layoutFile := flag.String("layout", "layout.json", "the lab's layout (JSON)")
	user := flag.String("user", "administrator@vsphere.local", "login user")
	syncAgent := flag.String("sync-agent", "drbook-lab", "the User-Agent of the lab's own calls (not asked of the lab's hosts)")
	makeCert := flag.Bool("make-cert", false, "only make the certificate in -cert-dir (so its fingerprint is known before the first start)")
	flag.Parse()

	if *makeCert {
		if _, err := loadOrMakeCert(*certDir); err != nil {
			fail("certificate: %v", err)
		}
		return
	}

	host, _, err := net.SplitHostPort(*listen)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		fail("listen on a loopback address only, not %q", *listen)
	}
	password := os.Getenv("VCSIM_PASSWORD")
	if password == "" {
		fail("set VCSIM_PASSWORD")
	}
	var layout Layout
	raw, err := os.ReadFile(*layoutFile)
	if err == nil {
		err = json.Unmarshal(raw, &layout)
	}
	if err != nil || len(layout.Hosts) == 0 {
		fail("layout %s: %v (needs at least one host)", *layoutFile, err)
	}
	cert, err := loadOrMakeCert(*certDir)
	if err != nil {
		fail("certificate: %v", err)
	}

	model := simulator.VPX()
	model.Datacenter = 1
	model.Cluster = 1
	model.ClusterHost = len(layout.Hosts)
	model.Host = 0
	model.Datastore = 0
	model.Machine = 0
	model.Pool = 0
	model.Portgroup = 1
	model.Autostart = false
	if err := model.Create(); err != nil {
		fail("create: %v", err)
	}
	defer model.Remove()

	// In-process calls through the simulator's own SOAP dispatch (no server yet).
	ctx := context.Background()
	dc := simulator.Map.Any("Datacenter").(*simulator.Datacenter)
	dc.Name = layout.Datacenter
	cluster := simulator.Map.Any("ClusterComputeResource").(*simulator.ClusterComputeResource)
	cluster.Name = layout.Cluster
	var hostRefs []types.ManagedObjectReference
	for i, obj := range simulator.Map.All("HostSystem") {
		h := simulator.Map.Get(obj.Reference()).(*simulator.HostSystem)
		h.Name = layout.Hosts[i]
		h.Summary.Config.Name = layout.Hosts[i]
		hostRefs = append(hostRefs, h.Self)
	}
	for name, dir := range layout.Datastores {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail("datastore dir: %v", err)
		}
		for _, ref := range hostRefs {
			h := simulator.Map.Get(ref).(*simulator.HostSystem)
			req := types.CreateLocalDatastore{This: *h.ConfigManager.DatastoreSystem, Name: name, Path: dir}
			if _, err := methods.CreateLocalDatastore(ctx, model.Service, &req); err != nil {
				fail("datastore %s on %s: %v", name, h.Name, err)
			}
		}
	}
	folders := map[string]types.ManagedObjectReference{"": dc.VmFolder}
	for _, p := range layout.Folders {
		parent := ""
		for _, part := range strings.Split(p, "/") {
			here := strings.TrimPrefix(parent+"/"+part, "/")
			if _, ok := folders[here]; !ok {
				req := types.CreateFolder{This: folders[parent], Name: part}
				res, err := methods.CreateFolder(ctx, model.Service, &req)
				if err != nil {
					fail("folder %s: %v", here, err)
				}
				folders[here] = res.Returnval
			}
			parent = here
		}
	}
	pools := map[string]types.ManagedObjectReference{"": *cluster.ResourcePool}
	for _, p := range layout.Pools {
		parent := ""
		for _, part := range strings.Split(p, "/") {
			here := strings.TrimPrefix(parent+"/"+part, "/")
			if _, ok := pools[here]; !ok {
				req := types.CreateResourcePool{This: pools[parent], Name: part, Spec: types.DefaultResourceConfigSpec()}
				res, err := methods.CreateResourcePool(ctx, model.Service, &req)
				if err != nil {
					fail("pool %s: %v", here, err)
				}
				pools[here] = res.Returnval
			}
			parent = here
		}
	}
	for _, obj := range simulator.Map.All("ResourcePool") {
		pool := simulator.Map.Get(obj.Reference()).(*simulator.ResourcePool)
		simulator.Map.Put(&movablePool{*pool})
	}

	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, password)}
	model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	server := model.Service.NewServer()
	defer server.Close()
	// Before the URL is printed, so before any request: every call passes the hostd hook.
	bridge := &hostd{waiting: map[int]chan hostdReply{}}
	server.Config.Handler = hostdHook(server.Config.Handler, bridge, *syncAgent)

	sum := sha256.Sum256(cert.Certificate[0])
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = fmt.Sprintf("%02X", b)
	}
	u := *server.URL
	u.User = nil
	bridge.send(map[string]string{"url": u.String(), "fingerprint": strings.Join(pairs, ":"), "user": *user})

	// Runs until its stdin closes (the lab went away) or it is killed.
	bridge.readReplies(os.Stdin)
}

// hostd asks the lab's simulated hosts: one JSON line out per question, one JSON line back.
type hostd struct {
	mu      sync.Mutex
	next    int
	waiting map[int]chan hostdReply
}

type hostdReply struct {
	ID      int    `json:"id"`
	Fault   string `json:"fault"`
	Message string `json:"message"`
	// The lab's fault vcenterAnswerLost: register, then drop the connection instead of answering.
	Drop bool `json:"drop"`
}

func (h *hostd) send(v interface{}) {
	out, _ := json.Marshal(v)
	h.mu.Lock()
	defer h.mu.Unlock()
	os.Stdout.Write(append(out, '\n'))
}

// ask sends a question and waits for the lab's answer (an empty Fault: done).
func (h *hostd) ask(q map[string]interface{}) hostdReply {
	ch := make(chan hostdReply, 1)
	h.mu.Lock()
	h.next++
	id := h.next
	h.waiting[id] = ch
	h.mu.Unlock()
	q["id"] = id
	h.send(map[string]interface{}{"hostd": q})
	select {
	case r := <-ch:
		return r
	case <-time.After(60 * time.Second):
		h.mu.Lock()
		delete(h.waiting, id)
		h.mu.Unlock()
		return hostdReply{Fault: "HostCommunication", Message: "the host did not answer"}
	}
}

func (h *hostd) readReplies(r io.Reader) {
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		var rep hostdReply
		if json.Unmarshal(lines.Bytes(), &rep) != nil {
			continue
		}
		h.mu.Lock()
		ch := h.waiting[rep.ID]
		delete(h.waiting, rep.ID)
		h.mu.Unlock()
		if ch != nil {
			ch <- rep
		}
	}
}

// registering keeps the simulator's registrations apart from every other call. This simulator
// version puts a VM it registers into its inventory before the VM has a config, and walks the
// inventory without looking (FindByDatastorePath dereferences vm.Config): a second registration,
// in another folder and so under another lock, panicked on the first's half-built VM, and
// net/http dropped the client's connection. A real vCenter has no such gap.
var registering sync.RWMutex

// hostdHook: a client's RegisterVM_Task is first registered on its host (asked of the lab), then
// in the simulator; the lab is told how that ended, so it can keep both sides equal.
func hostdHook(next http.Handler, h *hostd, syncAgent string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil || !bytes.Contains(body, []byte("RegisterVM_Task")) {
			registering.RLock()
			defer registering.RUnlock()
			next.ServeHTTP(w, r)
			return
		}
		// A client's registration goes to the lab's host first; the lab's own (sync agent) does not.
		var req *types.RegisterVM_Task
		if r.UserAgent() != syncAgent {
			if method, err := simulator.UnmarshalBody(types.TypeFunc(), body); err == nil {
				req, _ = method.Body.(*types.RegisterVM_Task)
			}
		}
		if req == nil {
			registering.Lock()
			defer registering.Unlock()
			next.ServeHTTP(w, r)
			return
		}
		var host *simulator.HostSystem
		if req.Host != nil {
			host, _ = simulator.Map.Get(*req.Host).(*simulator.HostSystem)
		}
		if host == nil {
			// A real vCenter picks a host of a DRS cluster; the lab's hosts need to be told which.
			writeFault(w, "InvalidArgument", "the lab's vCenter registers a VM on the host given in the call")
			return
		}
		rep := h.ask(map[string]interface{}{"op": "register", "host": host.Name, "path": req.Path, "name": req.Name})
		if rep.Fault != "" {
			writeFault(w, rep.Fault, rep.Message)
			return
		}
		// Deferred: also when the simulator's handler panics (net/http then drops the connection),
		// the lab hears how it ended instead of holding the path as pending for good. Runs after
		// the unlock below (deferred calls run last in, first out).
		defer func() {
			h.send(map[string]interface{}{"hostd": map[string]interface{}{"op": "registered", "path": req.Path, "ok": registered(req.Path)}})
		}()
		registering.Lock()
		defer registering.Unlock()
		if !rep.Drop {
			next.ServeHTTP(w, r)
			return
		}
		// Done, but the client never hears it: as when a proxy in front of vCenter drops the connection.
		next.ServeHTTP(httptest.NewRecorder(), r)
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			_ = conn.Close()
		}
	})
}

func registered(path string) bool {
	for _, e := range simulator.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok && vm.Config != nil && vm.Config.Files.VmPathName == path {
			return true
		}
	}
	return false
}

func writeFault(w http.ResponseWriter, fault, message string) {
	var msg bytes.Buffer
	_ = xml.EscapeText(&msg, []byte(message))
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`+
		`<soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>%s</faultstring>`+
		`<detail><%sFault xmlns="urn:vim25" xsi:type="%s"></%sFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
		msg.String(), fault, fault, fault)
}

func loadOrMakeCert(dir string) (tls.Certificate, error) {
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if c, err := tls.LoadX509KeyPair(certFile, keyFile); err == nil {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "vcenter.lab.drbook", Organization: []string{"drbook lab"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return tls.Certificate{}, err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return tls.Certificate{}, err
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.LoadX509KeyPair(certFile, keyFile)
}

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim: "+format+"\n", a...)
	os.Exit(1)
}
