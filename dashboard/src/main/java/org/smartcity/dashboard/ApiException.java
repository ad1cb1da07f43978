package org.smartcity.dashboard;

/**
 * A request the dashboard answers with an error document {@code {"code":"...","description":"..."}}
 * (the OGC API exception schema) instead of data: a bad parameter (400, {@code
 * InvalidParameterValue}, the description naming the parameter), or something that does not exist
 * (404, {@code NotFound}).
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    private ApiException(int status, String code, String description) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** 400: a parameter has a value the API does not accept. */
    static ApiException invalidParameter(String parameter, String problem) {
        return new ApiException(400, "InvalidParameterValue", parameter + ": " + problem);
    }

    /** 400: a required parameter is missing. */
    static ApiException missingParameter(String parameter, String expected) {
        return new ApiException(
                400, "InvalidParameterValue", parameter + ": required, " + expected);
    }

    /** 404: no such collection, feature or page. */
    static ApiException notFound(String description) {
        return new ApiException(404, "NotFound", description);
    }

    /** 405: the path exists, the method does not. */
    static ApiException methodNotAllowed(String method) {
        return new ApiException(
                405, "MethodNotAllowed", "method " + method + " is not allowed; use GET");
    }

    /** 503: a store the request needs is not configured or not open. */
    static ApiException unavailable(String description) {
        return new ApiException(503, "ServiceUnavailable", description);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String description() {
        return getMessage();
    }
}
