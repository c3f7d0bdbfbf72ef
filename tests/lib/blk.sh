# Helpers for the block frontend scenarios (source after xtest.sh).

# blk_phy_script: print the path of a minimal hotplug script for phy:
# disks.  It does what the stock block script does for an existing block
# device (tell blkback its major:minor, report connected) without the
# stock script's locking and sharing checks, which take ~10 s per disk
# under TCG: libxl gives up after 10 s.
blk_phy_script() {
	local s=/tmp/blk-phy-hotplug
	cat >$s <<'EOS'
#!/bin/sh
[ "$1" = add ] || exit 0
dev=$(xenstore-read "$XENBUS_PATH/params")
xenstore-write "$XENBUS_PATH/physical-device" "$(stat -L -c '%t:%T' "$dev")" \
	"$XENBUS_PATH/physical-device-path" "$dev" \
	"$XENBUS_PATH/hotplug-status" connected
EOS
	chmod +x $s
	echo $s
}
