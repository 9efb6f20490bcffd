using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;
using Voltgate.Ocpp.V201;

namespace Voltgate.Ocpp;

/// <summary>One action of one protocol version's routing table: what dispatching and commands need of it, whatever the version.</summary>
public interface IOcppAction
{
    string Name { get; }

    OcppDirection Direction { get; }

    /// <summary>Metadata of <c>&lt;Name&gt;Request</c>; the CLR type is <c>RequestTypeInfo.Type</c>.</summary>
    JsonTypeInfo RequestTypeInfo { get; }

    /// <summary>Metadata of <c>&lt;Name&gt;Response</c>; the CLR type is <c>ResponseTypeInfo.Type</c>.</summary>
    JsonTypeInfo ResponseTypeInfo { get; }

    /// <summary>Checks a CALL payload against the action's request schema, with the version's error codes; null when valid.</summary>
    OcppValidationError? ValidateRequest(JsonElement payload);

    /// <summary>Checks a CALLRESULT payload against the action's response schema; null when valid.</summary>
    OcppValidationError? ValidateResponse(JsonElement payload);
}

/// <summary>The routing table of a negotiated protocol (<see cref="OcppProtocols"/>); a new version adds its catalog here.</summary>
public static class OcppCatalogs
{
    /// <summary>The action as the protocol defines it; null when that version has no such action (names are case-sensitive).</summary>
    public static IOcppAction? Find(string protocol, string action) => protocol == OcppProtocols.Ocpp201
        ? V201Catalog.TryGet(action, out var v201) ? v201 : null
        : V16Catalog.TryGet(action, out var v16) ? v16 : null;
}
