//! On Windows builds only: the programs carry the app icon and version information (what a
//! file's Properties show), compiled by the toolchain's resource compiler (`windres` from
//! mingw-w64 when cross-building from Linux).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icons/presign-desk.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let version = env!("CARGO_PKG_VERSION");
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon("assets/icons/presign-desk.ico")
        .set("ProductName", "PresignDesk")
        .set(
            "FileDescription",
            "PresignDesk: upload to and download from presigned links",
        )
        .set("CompanyName", "The PresignDesk developers")
        .set(
            "LegalCopyright",
            "2026, The PresignDesk developers. MIT OR Apache-2.0",
        )
        .set("ProductVersion", version)
        .set("FileVersion", version)
        .set("OriginalFilename", "presign-desk.exe")
        .set("InternalName", "presign-desk");
    if let Err(e) = resource.compile() {
        // A Windows build without its icon and version is not one to ship.
        panic!("the Windows resources could not be compiled: {e}");
    }
}
