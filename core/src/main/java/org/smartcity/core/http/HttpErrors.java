package org.smartcity.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HttpResponseException;

/**
 * The errors every service answers with, as Javalin exceptions that {@link HttpService} turns into
 * the OGC API exception document {@code {"code":"...","description":"..."}}: a bad parameter (400,
 * {@code InvalidParameterValue}, the description starting with the parameter's name), something
 * that does not exist (404, {@code NotFound}), a method other than GET and HEAD (405, {@code
 * MethodNotAllowed}), a store that is not there (503, {@code ServiceUnavailable}).
 */
public final class HttpErrors {
    /** Characters of a bad value repeated in an error description. */
    public static final int ECHO_MAX = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpErrors() {}

    /** 400: a parameter has a value the API does not accept. */
    public static HttpResponseException invalidParameter(String parameter, String problem) {
        return new HttpResponseException(400, parameter + ": " + problem);
    }

    /** 400: a required parameter is missing. */
    public static HttpResponseException missingParameter(String parameter, String expected) {
        return new HttpResponseException(400, parameter + ": required, " + expected);
    }

    /** 404: no such collection, feature, file or page. */
    public static HttpResponseException notFound(String description) {
        return new HttpResponseException(404, description);
    }

    /** 405: the path may exist, the method does not. */
    public static HttpResponseException methodNotAllowed(String method) {
        return new HttpResponseException(405, "method " + method + " is not allowed; use GET");
    }

    /** 503: a store the request needs is not configured, not open or not answering. */
    public static HttpResponseException unavailable(String description) {
        return new HttpResponseException(503, description);
    }

    /** {@code v} for an error description, cut to {@value #ECHO_MAX} characters. */
    public static String echo(String v) {
        return v.length() <= ECHO_MAX ? v : v.substring(0, ECHO_MAX) + "...";
    }

    /** The OGC API exception code of an HTTP status. */
    public static String code(int status) {
        return switch (status) {
            case 400 -> "InvalidParameterValue";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "RequestTimeout";
            case 413, 414, 431 -> "RequestTooLarge";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "InternalError" : "BadRequest";
        };
    }

    /** The exception document for {@code status}, as UTF-8 JSON. */
    public static byte[] document(int status, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("code", code(status));
        body.put("description", description);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
