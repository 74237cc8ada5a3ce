#!/bin/bash
# ad-hoc: run nlfuzz in a netns like fuzz.sh, with extra args
cd /work/main
insmod build/$(uname -r)/netvirt.ko
modprobe veth; modprobe bridge
ip netns add nvfuzz
for i in 0 1 2 3; do ip -n nvfuzz link add nvf${i}a type veth peer name nvf${i}b; ip -n nvfuzz link set nvf${i}a up; ip -n nvfuzz link set nvf${i}b up; done
ip -n nvfuzz link add nvbr0 type bridge; ip -n nvfuzz link set nvf3b master nvbr0
ip netns exec nvfuzz tests/fuzz/nlfuzz "$@"
echo "rc=$?"
ip netns del nvfuzz
sleep 1
rmmod netvirt
