import Foundation

/// The numbered migrations in this folder, shipped as this module's resource bundle
/// (`butler_ButlerSchema.resources`, next to the executable once installed), so an installed
/// butler migrates without the source tree. The folder stays at the top of the repository,
/// where every migration that has landed keeps its path.
public enum ButlerSchema {
    /// The folder holding the `NNNN_*.sql` files inside the bundle.
    public static var directory: URL? { Bundle.module.resourceURL }
}
