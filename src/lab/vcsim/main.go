// vcsim for the drbook lab: govmomi's vCenter simulator with the lab's datacenter, cluster, hosts
// and datastores, on 127.0.0.1 only. The lab (src/lab/vcenter.ts) then builds its folders, pools
// and VMs through the SOAP API, like any client would.
//
// Built at `drbook lab up --vcenter` time from Debian's golang-github-vmware-govmomi-dev:
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o vcsim main.go
package main

import (
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
	"flag"
	"io"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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

	sum := sha256.Sum256(cert.Certificate[0])
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = fmt.Sprintf("%02X", b)
	}
	u := *server.URL
	u.User = nil
	out, _ := json.Marshal(map[string]string{"url": u.String(), "fingerprint": strings.Join(pairs, ":"), "user": *user})
	fmt.Println(string(out))

	// Runs until its stdin closes (the lab went away) or it is killed.
	_, _ = io.Copy(io.Discard, os.Stdin)
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
