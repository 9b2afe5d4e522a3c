package kick

// CategoriesService is being written.
type CategoriesService service
