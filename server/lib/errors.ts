// Domain errors: small named classes with a stable code the UI translates. The errors plugin
// maps them to HTTP in one place.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(code = 'not_found', message = 'Not found') {
    super(404, code, message);
  }
}

export class InvalidInputError extends AppError {
  constructor(code = 'invalid_input', message = 'Invalid input') {
    super(400, code, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'unauthenticated', message = 'Please log in') {
    super(401, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}
